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

/**
 * vega-interpreter evaluates Vega expressions without Function(), so the page's policy can forbid
 * eval. It ships only as an ES module importing vega-util, whose exports the vega build carries:
 * its one import becomes a read of the `vega` global and its export the global
 * `vegaExpressionInterpreter`, inside a function scope. Anything else in a future build is refused.
 */
function interpreterScript(): BrowserLibrary {
  const root = packageRoot('vega-interpreter');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const file = join(root, 'build', 'vega-interpreter.js');
  let code = readFileSync(file, 'utf8');
  const imports = [...code.matchAll(/^import \{([^}]*)\} from 'vega-util';$/gm)];
  const exports = [...code.matchAll(/^export \{ (\w+) as expressionInterpreter \};$/gm)];
  if (
    imports.length !== 1 ||
    exports.length !== 1 ||
    /^(import|export) /m.test(code.replace(imports[0][0], '').replace(exports[0][0], ''))
  ) {
    throw new Error(
      `${file}: unexpected module layout (vega-interpreter ${manifest.version}); cannot inline it`,
    );
  }
  code = code
    .replace(imports[0][0], `const {${imports[0][1]}} = vega;`)
    .replace(exports[0][0], `globalThis.vegaExpressionInterpreter = ${exports[0][1]};`)
    .replace(/^\/\/# sourceMappingURL=.*$/m, '');
  return { name: 'vega-interpreter', version: manifest.version, code: `(function () {\n${code}\n})();` };
}

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

/** vega, its interpreter, vega-lite, vega-embed in load order (each build expects the previous as a global). */
export function browserLibraries(): BrowserLibrary[] {
  if (cache) return cache;
  const builds = PACKAGES.map((name) => {
    const root = packageRoot(name);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      version: string;
      unpkg?: string;
    };
    const file = join(root, manifest.unpkg ?? `build/${name}.min.js`);
    if (!existsSync(file)) throw new Error(`${name}: browser build not found at ${file}`);
    return { name, version: manifest.version, code: readFileSync(file, 'utf8') };
  });
  cache = [builds[0], interpreterScript(), ...builds.slice(1)];
  return cache;
}
