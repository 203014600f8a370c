// gradflow serve's server: the page under the report's script policy, the event stream's first
// state, the runs' files and nothing else: no traversal (plain, encoded), no link out of the tree,
// no directory, no other host name, no write; a port in use is the user's mistake (exit 2).
import { request } from 'node:http';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { removeTempDirs, tempDir, writeStandardFixture } from '../report/fake-results.js';

let server: RunningServer;
let root: string;
let outside: string;

beforeAll(async () => {
  root = await writeStandardFixture(await tempDir('serve'));
  outside = await tempDir('outside');
  await writeFile(join(outside, 'secret.json'), '{"secret": true}\n');
  await symlink(join(outside, 'secret.json'), join(root, 'link-out.json'));
  server = await startServer({ dirs: [root], port: 0, host: '127.0.0.1', interval: 0.2 });
});

afterAll(async () => {
  await server?.close();
  await removeTempDirs();
});

/** A request with its path sent exactly as written (no client-side normalisation of '..'). */
function get(
  path: string,
  options: { method?: string; host?: string; limit?: number } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (options.limit && body.length >= options.limit) {
            res.destroy();
            resolve({ status: res.statusCode!, headers: res.headers, body });
          }
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('the page comes under a policy as strict as the report, plus its own event stream', async () => {
  const page = await get('/');
  expect(page.status).toBe(200);
  const csp = String(page.headers['content-security-policy']);
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).toMatch(/connect-src 'self'/);
  expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  expect(page.body).toContain(`content="${csp.replace(/; frame-ancestors 'none'$/, '')}"`);
});

test('the event stream starts with the whole state: the runs and every figure', async () => {
  // The first poll may still be under way: the state that arrives then has version 1 or more.
  let state: { version: number; runs: unknown[]; specs: Record<string, unknown> } | undefined;
  for (let tries = 0; tries < 50 && !(state && state.version > 0); tries++) {
    const events = await get('/events', { limit: 2000 });
    const data = events.body.match(/event: state\ndata: (.*)/)?.[1];
    if (data) state = JSON.parse(data.length >= 1990 ? await fullEvent() : data);
    if (!(state && state.version > 0)) await new Promise((r) => setTimeout(r, 100));
  }
  expect(state!.version).toBeGreaterThan(0);
  expect(state!.runs.length).toBeGreaterThan(5);
  expect(Object.keys(state!.specs)).toContain('training-curves');
});

/** The first state event in full (it is long: every figure's rows). */
async function fullEvent(): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: '/events' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        const match = body.match(/event: state\ndata: (.*)\n\n/);
        if (match) {
          res.destroy();
          resolve(match[1]);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test("a run's manifest and CSVs are served; nothing outside the tree, no directory, no other type", async () => {
  const ok = await get('/files/0/cifar-plain-batch-d8-s0/manifest.json');
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body).id).toBe('cifar-plain-batch-d8-s0');
  expect((await get('/files/0/cifar-plain-batch-d8-s0/metrics.csv')).body).toMatch(/^step,/);
  for (const path of [
    '/files/0/../../../../etc/passwd',
    '/files/0/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/files/0/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/files/0/..%5c..%5cetc%5cpasswd',
    '/files/0/link-out.json',
    '/files/0/cifar-plain-batch-d8-s0',
    '/files/0/cifar-plain-batch-d8-s0/',
    '/files/1/anything.json',
    '/files/0',
    '/etc/passwd',
    '/../etc/passwd',
  ]) {
    const res = await get(path);
    expect([path, res.status]).toEqual([path, 404]);
    expect(res.body).not.toMatch(/root:|secret/);
  }
});

test('another host name, a write, a port in use: refused', async () => {
  expect((await get('/', { host: 'attacker.example:80' })).status).toBe(403);
  expect((await get('/', { method: 'POST' })).status).toBe(405);
  await expect(
    startServer({ dirs: [root], port: server.port, host: '127.0.0.1', interval: 1 }),
  ).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(/in use.*--port/),
  });
});
