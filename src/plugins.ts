// User blocks from one file, without touching src/. A plugin is a .ts, .js or .mjs file whose
// default export receives gradflow's block API:
//
//   export default function (gradflow) { gradflow.registerBlock({ name, description, ... build }) }
//
// (it may instead import { registerBlock } from 'gradflow-lab'; both register into the same table).
// .ts files are transpiled with the `typescript` package into the OS temp directory; their
// imports are rewritten to absolute URLs so they resolve from there as from the original file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { UserError } from './ground/errors.js';
import { getBlock, listBlocks, registerBlock } from './blocks/registry.js';
import { registeredBy, unregisterSource, withRegistrationSource } from './ground/registry.js';
import { registerDataset } from './data/datasets.js';
import { registerModelFamily } from './models/families.js';
import { registerProbe } from './probes/registry.js';
import { registerFigure } from './report/figures/index.js';
import { registerFinding } from './report/findings/index.js';
import type { RegisteredBlock } from './blocks/types.js';

/** What a plugin's default export receives; `tf` is gradflow's own TF.js (a probe computes with it). */
export const pluginApi = {
  registerBlock,
  getBlock,
  listBlocks,
  registerModelFamily,
  registerDataset,
  registerProbe,
  registerFigure,
  registerFinding,
  tf,
  z,
};
export type PluginApi = typeof pluginApi;

const API_KEY = Symbol.for('gradflow-lab.plugin-api');
(globalThis as unknown as Record<symbol, PluginApi>)[API_KEY] = pluginApi;

const loaded = new Map<string, RegisteredBlock[]>();

/**
 * Load plugin files (paths relative to `baseDir`, e.g. the experiment file's folder) and return
 * the blocks each registered. Loading the same file again is a no-op.
 */
export async function loadPlugins(
  paths: string[],
  baseDir: string = process.cwd(),
): Promise<RegisteredBlock[]> {
  const blocks: RegisteredBlock[] = [];
  for (const p of paths) blocks.push(...(await loadPlugin(resolve(baseDir, p), p)));
  return blocks;
}

async function loadPlugin(file: string, asListed: string): Promise<RegisteredBlock[]> {
  const done = loaded.get(file);
  if (done) return done;
  if (!existsSync(file)) throw new UserError(`plugin file not found: ${file} (listed as "${asListed}")`);
  const ext = extname(file);
  if (!['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    throw new UserError(`plugin ${file}: expected a .ts, .js or .mjs file`);
  }
  const before = new Set(listBlocks().map((b) => b.name));
  // Said before the import: a plugin stuck in a loop never gives control back to say it later.
  process.stderr.write(`gradflow: loading plugin ${file}\n`);
  // A top-level await that never settles empties the event loop and Node exits (code 13) with no
  // word of why: name the plugin and make it a user's error.
  const unsettled = (): void => {
    if (process.exitCode !== 13) return;
    process.stderr.write(
      `gradflow: plugin ${file} never finished loading (a top-level await that never settles)\n`,
    );
    process.exitCode = 2;
  };
  process.on('exit', unsettled);
  try {
    await withRegistrationSource(file, async () => {
      const url = ext === '.ts' || ext === '.mts' ? await transpiled(file) : pathToFileURL(file).href;
      let mod: { default?: unknown };
      try {
        mod = (await import(url)) as { default?: unknown };
      } catch (err) {
        throw new UserError(`plugin ${file} failed to load: ${(err as Error).message}`);
      }
      if (typeof mod.default === 'function') {
        try {
          await (mod.default as (api: PluginApi) => unknown)(pluginApi);
        } catch (err) {
          if (err instanceof UserError) throw err;
          throw new UserError(`plugin ${file} failed while registering: ${(err as Error).message}`);
        }
      }
    });
  } catch (err) {
    unregisterSource(file); // leave no half-loaded plugin behind
    throw err;
  } finally {
    process.off('exit', unsettled);
  }
  const added = listBlocks().filter((b) => !before.has(b.name));
  if (registeredBy(file).length === 0) {
    throw new UserError(
      `plugin ${file} registered nothing: export default function (gradflow) { gradflow.registerBlock({...}) } ` +
        `(or registerModelFamily, registerDataset, registerProbe, registerFigure, registerFinding)`,
    );
  }
  loaded.set(file, added);
  return added;
}

/** Transpile a TypeScript plugin into the temp directory and return the module's URL. */
async function transpiled(file: string): Promise<string> {
  let ts: typeof import('typescript');
  try {
    ts = (await import('typescript')).default;
  } catch {
    throw new UserError(
      `plugin ${file}: loading .ts plugins needs the "typescript" package (npm i typescript), or use a .js/.mjs plugin`,
    );
  }
  const source = readFileSync(file, 'utf8');
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const d = errors[0];
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    const where = pos ? `${file}:${pos.line + 1}:${pos.character + 1}` : file;
    throw new UserError(
      `plugin ${where} failed to load: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
    );
  }
  const dir = resolve(tmpdir(), 'gradflow-plugins');
  mkdirSync(dir, { recursive: true });
  const shim = resolve(dir, 'gradflow-lab-api.mjs');
  writeFileSync(
    shim,
    `const api = globalThis[Symbol.for('gradflow-lab.plugin-api')];\n` +
      `export const { registerBlock, getBlock, listBlocks, registerModelFamily, registerDataset, registerProbe, tf, z } = api;\nexport default api;\n`,
  );
  const code = rewriteSpecifiers(out.outputText, file, pathToFileURL(shim).href);
  const hash = createHash('sha256').update(file).update(code).digest('hex').slice(0, 12);
  const target = resolve(dir, `${basename(file, extname(file))}-${hash}.mjs`);
  writeFileSync(target, code);
  return pathToFileURL(target).href;
}

/** Make the transpiled module's imports resolve from the temp directory as from `file`. */
function rewriteSpecifiers(code: string, file: string, apiUrl: string): string {
  const require = createRequire(file);
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g,
    (all, lead: string, q: string, spec: string) => {
      let target = spec;
      if (spec === 'gradflow-lab') target = apiUrl;
      else if (spec.startsWith('./') || spec.startsWith('../'))
        target = pathToFileURL(resolve(dirname(file), spec)).href;
      else if (!spec.startsWith('node:') && !spec.includes(':')) {
        try {
          target = pathToFileURL(require.resolve(spec)).href;
        } catch {
          return all; // leave it: the import error will name the package
        }
      }
      return `${lead}${q}${target}${q}`;
    },
  );
}
