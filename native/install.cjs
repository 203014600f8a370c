// Builds the addon at install time against this Node's own headers, never downloaded ones: the
// headers of the running Node's prefix (Debian: /usr, Homebrew/nvm: their prefix). A failure here
// fails only this optional package; gradflow then reports `native` as unavailable and uses wasm.
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath)), '/usr'];
const nodedir = candidates.find((d) => d && existsSync(join(d, 'include', 'node', 'node_api.h')));
if (!nodedir) {
  console.error(
    'gradflow-native: no Node.js headers (include/node/node_api.h) next to this Node; skipping the oneDNN backend',
  );
  process.exit(1);
}
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const r = spawnSync(cmd, [...args, 'rebuild', `--nodedir=${nodedir}`], { stdio: 'inherit', cwd: __dirname });
process.exit(r.status ?? 1);
