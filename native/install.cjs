// Builds the addon at install time against this Node's own headers, never downloaded ones: the
// headers of the running Node's prefix (Debian: /usr, Homebrew/nvm: their prefix). A failure here
// fails only this optional package; gradflow then reports `native` as unavailable and uses wasm.
// The outcome is written to build/install-status.json so that gradflow can name the cause and its
// fix; no file at all means this script never ran (npm blocked it, or --ignore-scripts).
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const statusFile = join(__dirname, 'build', 'install-status.json');

function finish(cause, detail) {
  mkdirSync(dirname(statusFile), { recursive: true });
  const status = { cause, detail, node: process.version, at: new Date().toISOString() };
  writeFileSync(statusFile, JSON.stringify(status, null, 2) + '\n');
  if (cause !== 'built') console.error(`gradflow-native: ${detail}; gradflow will fall back to wasm`);
  process.exit(cause === 'built' ? 0 : 1);
}

const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath)), '/usr'];
const nodedir = candidates.find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
if (!nodedir) finish('no-node-headers', 'no Node.js headers (include/node/node_api.h) next to this Node');

const cxx = process.env.CXX || 'c++';
// The compiler, then oneDNN's header through it: its own include path decides, as in the build.
const probe = spawnSync(
  cxx,
  ['-x', 'c++', '-E', '-include', 'oneapi/dnnl/dnnl.hpp', '-o', '/dev/null', '/dev/null'],
  {
    encoding: 'utf8',
  },
);
if (probe.error)
  finish('no-compiler', `no C++ compiler (${cxx}: ${probe.error.code ?? probe.error.message})`);
if (probe.status !== 0) {
  const line = (probe.stderr || '').split('\n').find((l) => l.includes('error')) ?? '';
  finish(
    'no-onednn-headers',
    `oneDNN's headers are missing (${line.trim() || 'oneapi/dnnl/dnnl.hpp not found'})`,
  );
}

const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const r = spawnSync(cmd, [...args, 'rebuild', `--nodedir=${nodedir}`], {
  stdio: ['ignore', 'inherit', 'pipe'],
  cwd: __dirname,
  encoding: 'utf8',
});
process.stderr.write(r.stderr || '');
if (r.status !== 0) {
  const errors = (r.stderr || '').split('\n').filter((l) => /error/i.test(l));
  finish('build-failed', `node-gyp failed (${r.error?.message ?? errors[0]?.trim() ?? `exit ${r.status}`})`);
}
finish('built', `built against ${nodedir}/include/node`);
