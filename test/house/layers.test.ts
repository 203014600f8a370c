// The layer order is a check that can fail: eslint refuses an upward import (static or lazy) in any
// room of src/, and lets a downward one through.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

describe('layer order', () => {
  it.each([
    [
      'src/models/x.ts',
      "import { UserError } from '../cli/errors.js';\nexport const a = UserError;\n",
      /src\/models may import only .*; cli is not below it/,
    ],
    [
      'src/ground/x.ts',
      "import { RunConfig } from '../config/schema.js';\nexport const a = RunConfig;\n",
      /src\/ground may import only nothing of gradflow/,
    ],
    [
      'src/engine/native/x.ts',
      "import { buildModel } from '../../models/index.js';\nexport const a = buildModel;\n",
      /models is not below it/,
    ],
    [
      'src/report/x.ts',
      "export const a = async () => import('../train/run.js');\n",
      /src\/report may import only .*; train is not below it/,
    ],
    [
      'src/blocks/x.ts',
      "import { loadPlugins } from '../plugins.js';\nexport const a = loadPlugins;\n",
      /plugins is not below it/,
    ],
    [
      'src/sweep/x.ts',
      "import { commands } from '../cli/commands/index.js';\nexport const a = commands;\n",
      /cli is not below it/,
    ],
  ])('refuses an upward import in %s', async (file, code, message) => {
    const errors = await layerErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['src/train/x.ts', "import { buildModel } from '../models/index.js';\nexport const a = buildModel;\n"],
    ['src/models/x.ts', "import { UserError } from '../ground/errors.js';\nexport const a = UserError;\n"],
    ['src/cli/x.ts', "import { runSweep } from '../sweep/run-sweep.js';\nexport const a = runSweep;\n"],
    ['src/report/x.ts', "import { readCsv } from '../store/csv-log.js';\nexport const a = readCsv;\n"],
  ])('lets a downward import through in %s', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
