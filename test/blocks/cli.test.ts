// `gradflow blocks` through its command module, as yargs would call it.
import { jest } from '@jest/globals';
import blocksCommand from '../../src/cli/commands/blocks.js';

async function run(args: { json: boolean; plugin?: string[] }): Promise<string> {
  const out: string[] = [];
  const spy = jest
    .spyOn(console, 'log')
    .mockImplementation((...xs: unknown[]) => void out.push(xs.join(' ')));
  try {
    await (blocksCommand.handler as (a: unknown) => Promise<void>)({ ...args, _: [], $0: 'gradflow' });
  } finally {
    spy.mockRestore();
  }
  return out.join('\n');
}

test('--json lists at least the nine built-in blocks as {name, description, reference, residual}', async () => {
  const rows = JSON.parse(await run({ json: true })) as Record<string, unknown>[];
  expect(rows.length).toBeGreaterThanOrEqual(9);
  expect(Object.keys(rows[0]).sort()).toEqual(['description', 'name', 'reference', 'residual']);
  expect(rows.find((r) => r.name === 'plain')).toMatchObject({ residual: false });
  expect(rows.find((r) => r.name === 'fixup')!.reference).toMatch(/Zhang, Dauphin, Ma 2019/);
});

test('--plugin adds the plugin block, shown with its source file', async () => {
  const text = await run({ json: false, plugin: ['examples/custom-block/scaled-shortcut.ts'] });
  expect(text).toMatch(/^scaled-shortcut\s+yes\s+basic block with a constant-scaled shortcut/m);
  expect(text).toMatch(/from .*examples\/custom-block\/scaled-shortcut\.ts/);
  expect(text).toMatch(/^plain\s+no\s+two 3x3/m);
});
