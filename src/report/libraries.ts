// The browser builds of vega, vega-lite and vega-embed, read from node_modules to be inlined in
// the report (it must open offline). Their package `exports` hide the build files, so each is
// found from the package's resolved entry and its own `unpkg` field (the UMD minified build).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface BrowserLibrary {
  name: string;
  version: string;
  code: string;
}

const PACKAGES = ['vega', 'vega-lite', 'vega-embed'] as const;

function packageRoot(name: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(name));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the package directory of ${name}`);
}

let cache: BrowserLibrary[] | null = null;

/** vega, vega-lite, vega-embed in load order (each UMD build expects the previous as a global). */
export function browserLibraries(): BrowserLibrary[] {
  if (cache) return cache;
  cache = PACKAGES.map((name) => {
    const root = packageRoot(name);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
      unpkg?: string;
    };
    const file = join(root, manifest.unpkg ?? `build/${name}.min.js`);
    if (!existsSync(file)) throw new Error(`${name}: browser build not found at ${file}`);
    return { name, version: manifest.version, code: readFileSync(file, 'utf8') };
  });
  return cache;
}
