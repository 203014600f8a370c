import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import yargs from 'yargs';
import reportCommand from '../../src/cli/commands/report.js';
import { removeTempDirs, tempDir, writeFakeSweep } from './fake-results.js';

afterAll(removeTempDirs);

async function runCli(argv: string[]): Promise<{ stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...m) => void stdout.push(m.join(' ')));
  const err = jest.spyOn(console, 'error').mockImplementation((...m) => void stderr.push(m.join(' ')));
  try {
    await yargs(argv)
      .command(reportCommand)
      .strict()
      .exitProcess(false)
      .fail((msg, e) => {
        throw e ?? new Error(msg);
      })
      .parseAsync();
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

test('gradflow report <dir> --out --png --specs writes them and prints the HTML path', async () => {
  const root = await tempDir('cli');
  const dir = await writeFakeSweep(root, {
    experiment: 'cli',
    depths: [8, 14],
    seeds: [0, 1],
    extra: { steps: 100, logEvery: 10, evalEvery: 50, probeEvery: 50 },
  });
  const out = join(root, 'out', 'cli.html');
  const { stdout } = await runCli([
    'report',
    dir,
    '--out',
    out,
    '--png',
    join(root, 'png'),
    '--specs',
    join(root, 'specs'),
  ]);
  expect(stdout).toEqual([out]);
  expect(existsSync(out)).toBe(true);
  expect(await readdir(join(root, 'png'))).toHaveLength(9); // eight figures and the other statistics
  expect(await readdir(join(root, 'specs'))).toHaveLength(9);
});

test('a directory without runs is a UserError naming it', async () => {
  const empty = await tempDir('cli-empty');
  await expect(runCli(['report', empty, '--out', join(empty, 'x.html')])).rejects.toMatchObject({
    exitCode: 2,
    message: expect.stringMatching(/no run with a manifest\.json under .*gradflow-report-cli-empty-/),
  });
});
