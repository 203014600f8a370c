// gradflow serve's HTTP server: the live page, its event stream (server-sent events: the whole
// state when a page connects, then only what changed) and the runs' own files, read-only. It binds
// to loopback unless told otherwise, answers only its own host names there (a page elsewhere that
// rebinds a DNS name to 127.0.0.1 gets nothing), lists no directory and serves no file outside the
// directories it was given, symlinks included.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { realpath, stat, readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { UserError } from '../ground/errors.js';
import { packRows } from '../report/packed-rows.js';
import { REPORT_STATS } from '../report/figures/index.js';
import { LiveResults } from './live-results.js';
import { LiveView, type LiveUpdate } from './live-view.js';
import { renderLivePage } from './page.js';

export interface ServeOptions {
  dirs: readonly string[];
  /** 0: any free port. */
  port: number;
  host: string;
  /** Seconds between polls of the results, at least: a poll that took long waits longer. */
  interval: number;
  title?: string;
  baseline?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || /^127\./.test(host);

/** Files of a run a page may fetch: its manifest and CSVs, nothing binary (checkpoints stay home). */
const FILE_TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Busy polls back off: the next waits this many times as long as the last one took. */
const BACKOFF = 10;
const HEARTBEAT_MS = 15_000;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (options.dirs.length === 0)
    throw new UserError('serve: name at least one results directory (e.g. results/quick)');
  const title = options.title ?? `gradflow live: ${options.dirs.join(', ')}`;
  const results = new LiveResults(options.dirs, { stats: REPORT_STATS, baseline: options.baseline });
  const view = new LiveView(results, title);
  const page = renderLivePage(title, options.dirs);
  const roots = options.dirs.map((d) => resolve(d));
  const clients = new Set<ServerResponse>();

  const headers = {
    'Content-Security-Policy': `${page.csp}; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  let port = options.port;
  const allowedHost = (req: IncomingMessage): boolean => {
    if (!isLoopback(options.host)) return true; // served to a network on purpose: any name it has
    const host = req.headers.host ?? '';
    return ['127.0.0.1', 'localhost', '[::1]'].some((name) => host === `${name}:${port}`);
  };
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const notFound = (res: ServerResponse) => send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  const event = (name: string, value: unknown) =>
    `event: ${name}\ndata: ${JSON.stringify(packRows(value))}\n\n`;

  const serveFile = async (res: ServerResponse, segments: string[]) => {
    const [index, ...path] = segments;
    const root = roots[Number(index)];
    if (root === undefined || !/^\d+$/.test(index) || path.length === 0) return notFound(res);
    let decoded: string[];
    try {
      decoded = path.map((s) => decodeURIComponent(s));
    } catch {
      return notFound(res);
    }
    if (decoded.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s))) return notFound(res);
    const type = FILE_TYPES[extname(decoded[decoded.length - 1]).toLowerCase()];
    if (!type) return notFound(res);
    // The real path, links followed, must still lie inside the real root.
    const [real, realRoot] = await Promise.all([
      realpath(join(root, ...decoded)).catch(() => null),
      realpath(root).catch(() => null),
    ]);
    if (!real || !realRoot || !real.startsWith(realRoot + sep)) return notFound(res);
    if (!(await stat(real).catch(() => null))?.isFile()) return notFound(res);
    const body = await readFile(real).catch(() => null);
    return body ? send(res, 200, type, body) : notFound(res);
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n');
      }
      if (!allowedHost(req)) return send(res, 403, 'text/plain; charset=utf-8', 'unknown host\n');
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (pathname === '/') return send(res, 200, 'text/html; charset=utf-8', page.html);
      if (pathname === '/events') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
        res.write(`retry: 2000\n\n${event('state', view.full())}`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (pathname.startsWith('/files/')) return serveFile(res, pathname.slice('/files/'.length).split('/'));
      return notFound(res);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.end();
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${options.host} port ${options.port}`;
      if (err.code === 'EADDRINUSE')
        fail(new UserError(`serve: ${where} is in use (another gradflow serve?): pick another with --port`));
      else if (err.code === 'EACCES')
        fail(new UserError(`serve: not allowed to listen on ${where}: pick a port above 1023 with --port`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
        fail(new UserError(`serve: --host ${options.host} is not an address of this machine`));
      else fail(err);
    });
    server.listen(options.port, options.host, () => done());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  // The poll loop: one refresh at a time; what changed goes to every open page.
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake = (): void => {};
  const loop = async () => {
    while (!stopped) {
      const started = performance.now();
      let update: LiveUpdate | null = null;
      try {
        update = await view.refresh();
      } catch (err) {
        console.error(`gradflow serve: ${(err as Error).message}`);
      }
      if (update) for (const client of clients) client.write(event('update', update));
      const took = performance.now() - started;
      await new Promise<void>((done) => {
        wake = done;
        timer = setTimeout(done, Math.max(1000 * options.interval, BACKOFF * took));
      });
    }
  };
  const looping = loop();
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': alive\n\n');
  }, HEARTBEAT_MS);

  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/`,
    port,
    async close() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      wake();
      await looping;
      for (const client of clients) client.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
