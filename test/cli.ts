// The built CLI, for tests that need a real separate process (exit codes, kill -9, workers).
// `npm test` builds dist/ before jest runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = join(packageRoot, 'dist', 'cli', 'main.js');

if (!existsSync(cliPath))
  throw new Error(`${cliPath} is missing: run \`npm run build\` first (npm test does)`);
