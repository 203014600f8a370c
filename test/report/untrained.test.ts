// A setting where no net trained (every run at chance) gives no verdict on claims about trained nets;
// claims about nets at initialisation keep theirs, and a setting whose nets trained is untouched.
import { computeFindings } from '../../src/report/findings/index.js';
import { chanceError, untrainedNote } from '../../src/report/findings/untrained.js';
import { loadResults } from '../../src/report/load.js';
import { removeTempDirs, tempDir, writeFakeRun } from './fake-results.js';

afterAll(removeTempDirs);

async function fixture() {
  const root = await tempDir('untrained');
  const experiment = 'untrained';
  for (const depth of [8, 20])
    for (const seed of [0, 1, 2]) {
      // With batch norm both train; plain degrades with depth, residual does not.
      await writeFakeRun(root, { experiment, residual: false, depth, seed });
      await writeFakeRun(root, { experiment, residual: true, depth, seed });
      // Without norm, sigmoid: every net stays at chance (10 classes: 90% error), residual a little lower.
      const stuck = { experiment, depth, seed, norm: 'none', activation: 'sigmoid', testGap: 0 } as const;
      await writeFakeRun(root, { ...stuck, residual: false, finalTrainError: 0.9 - 0.001 * seed });
      await writeFakeRun(root, { ...stuck, residual: true, finalTrainError: 0.885 - 0.001 * seed });
    }
  return loadResults([`${root}/${experiment}`]);
}

test('chance error comes from the classes the manifest records: 1 - 1/classes', async () => {
  const data = await fixture();
  expect(chanceError(data.runs[0])).toBeCloseTo(0.9, 10);
  const batch = data.runs.filter((r) => r.norm === 'batch');
  const none = data.runs.filter((r) => r.norm === 'none');
  expect(untrainedNote(data, batch)).toBeNull();
  expect(untrainedNote(data, none)).toMatch(
    /^no net here trained: every run ends at chance \(final training error 88\.\d%–90\.0%, chance 90\.0%\)/,
  );
});

test('findings about trained nets say the nets did not train; the trained setting keeps its verdicts', async () => {
  const findings = computeFindings(await fixture());
  const none = findings.filter((f) => f.setting.startsWith('norm=none'));
  const batch = findings.filter((f) => f.setting.startsWith('norm=batch'));
  for (const id of ['residual-vs-plain', 'degradation', 'residual-depth', 'responses']) {
    const f = none.find((x) => x.id === id);
    expect(f).toBeDefined();
    expect(f!.verdict).toBe('not established');
    expect(f!.text).toContain('but no net here trained');
  }
  // Without the guard the residual advantage would read "reproduced" (88.5% vs 90.0%, separated seeds).
  expect(none.find((f) => f.id === 'residual-vs-plain')!.text).toMatch(
    /residual advantage reproduced; but no net/,
  );
  // Claims at initialisation are not about training: vanishing gradients keep their verdict.
  expect(none.find((f) => f.id === 'vanishing-plain')?.text ?? '').not.toContain('no net here trained');
  expect(batch.find((f) => f.id === 'degradation')!.verdict).toBe('reproduced');
  expect(batch.every((f) => !f.text.includes('no net here trained'))).toBe(true);
});
