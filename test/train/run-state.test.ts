// A run is its configuration: identities, fingerprints, the changes between two of them, and what a
// run directory holds judged against the configuration the run has now.
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '../data/helpers.js';
import { RunConfig } from '../../src/config/schema.js';
import { acquireRunLock, isLock } from '../../src/store/run-lock.js';
import type { Manifest } from '../../src/store/types.js';
import {
  fingerprintOf,
  formatChange,
  identityChanges,
  materialChanges,
  runIdentity,
} from '../../src/train/identity.js';
import { describeState, parseRetrain, runState } from '../../src/train/run-state.js';
import { saveCheckpoint } from '../../src/weights/checkpoint.js';

const temp = (): string => tempDir('state');
afterAll(removeTempDirs);

const config = (over: Record<string, unknown> = {}): RunConfig =>
  RunConfig.parse({ model: { depth: 8, width: 4 }, train: { steps: 5, lr: 0.1 }, ...over });

function writeRun(
  runDir: string,
  cfg: RunConfig,
  status: Manifest['status'],
  plugins: string[] = [],
  withFingerprint = true,
): void {
  mkdirSync(runDir, { recursive: true });
  const identity = runIdentity(cfg, plugins, null);
  const manifest = {
    id: 'r',
    experiment: 'e',
    config: cfg,
    ...(withFingerprint ? { fingerprint: fingerprintOf(identity), identity } : {}),
    seed: cfg.seed,
    status,
    steps: 3,
    totalSteps: 5,
  };
  writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest));
}

const stateOf = (runDir: string, cfg: RunConfig, plugins: string[] = []) => {
  const identity = runIdentity(cfg, plugins, null);
  return runState(runDir, fingerprintOf(identity), identity);
};

describe('run identity', () => {
  it('leaves out what does not change results and keeps what does', () => {
    const a = runIdentity(config(), [], null);
    expect(
      fingerprintOf(runIdentity(config({ train: { steps: 5, lr: 0.1, checkpointMinutes: 1 } }), [], null)),
    ).toBe(fingerprintOf(a));
    expect(fingerprintOf(runIdentity(config({ train: { steps: 5, lr: 0.05 } }), [], null))).not.toBe(
      fingerprintOf(a),
    );
    expect(fingerprintOf(runIdentity(config({ seed: 1 }), [], null))).not.toBe(fingerprintOf(a));
    expect(fingerprintOf(runIdentity(config(), [], 'abc'))).not.toBe(fingerprintOf(a));
  });

  it('identifies dataset and plugin files by content, not by path', () => {
    const dir = temp();
    const files = [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ];
    for (const d of ['a', 'b']) {
      mkdirSync(join(dir, d));
      for (const f of files) writeFileSync(join(dir, d, f), `${f} bytes`);
    }
    const data = (d: string) => config({ data: { name: 'mnist', path: join(dir, d) } });
    const a = runIdentity(data('a'), [], null);
    expect(a.data.map((f) => f.file)).toEqual(files);
    expect(fingerprintOf(runIdentity(data('b'), [], null))).toBe(fingerprintOf(a)); // same bytes elsewhere
    writeFileSync(join(dir, 'b', 't10k-labels-idx1-ubyte'), 'other bytes');
    const changed = identityChanges(a, runIdentity(data('b'), [], null));
    expect(changed.map((c) => c.path)).toEqual(['data[3].sha256']);

    const plugin = join(dir, 'block.mjs');
    writeFileSync(plugin, 'export default () => {}');
    const p1 = runIdentity(config(), [plugin], null);
    writeFileSync(plugin, 'export default () => { /* edited */ }');
    expect(identityChanges(p1, runIdentity(config(), [plugin], null)).map((c) => c.path)).toEqual([
      'plugins[0].sha256',
    ]);
  });

  it('lists changed JSON paths old -> new, and an option added later at its default is no change', () => {
    const a = runIdentity(config(), [], null);
    const b = runIdentity(
      config({ train: { steps: 5, lr: 0.05 }, model: { depth: 14, width: 4 } }),
      [],
      null,
    );
    expect(identityChanges(a, b).map(formatChange)).toEqual(['model.depth: 8 → 14', 'train.lr: 0.1 → 0.05']);
    // An identity recorded before model.shortcut existed: absent then, at its default now.
    const old = JSON.parse(JSON.stringify(a));
    delete old.config.model.shortcut;
    expect(identityChanges(old, a).map((c) => c.path)).toEqual(['config.model.shortcut']);
    expect(materialChanges(identityChanges(old, a))).toEqual([]);
    const c = runIdentity(config({ model: { depth: 8, width: 4, shortcut: 'B' } }), [], null);
    expect(materialChanges(identityChanges(old, c)).map(formatChange)).toEqual([
      'model.shortcut: (absent) → "B"',
    ]);
  });

  it("a run recorded before model.padding existed padded TF's way: changed under the symmetric default, not under 'same'", () => {
    const now = runIdentity(config(), [], null);
    const old = JSON.parse(JSON.stringify(now));
    delete old.config.model.padding;
    expect(materialChanges(identityChanges(old, now)).map(formatChange)).toEqual([
      'model.padding: (absent) → "symmetric"',
    ]);
    const same = runIdentity(config({ model: { depth: 8, width: 4, padding: 'same' } }), [], null);
    expect(materialChanges(identityChanges(old, same))).toEqual([]);
  });
});

describe('runState', () => {
  it('tells new, done, resumable, failed, changed, unknown, damaged and held runs apart', () => {
    const dir = temp();
    const cfg = config();
    expect(stateOf(join(dir, 'none'), cfg)).toEqual({ kind: 'new' });

    writeRun(join(dir, 'done'), cfg, 'completed');
    expect(stateOf(join(dir, 'done'), cfg)).toMatchObject({ kind: 'done', status: 'completed' });
    writeRun(join(dir, 'div'), cfg, 'diverged');
    expect(stateOf(join(dir, 'div'), cfg)).toMatchObject({ kind: 'done', status: 'diverged' });

    // Resumable: the step comes from the checkpoint, not from the manifest (which says 3).
    writeRun(join(dir, 'run'), cfg, 'running');
    expect(stateOf(join(dir, 'run'), cfg)).toEqual({ kind: 'new' });
    saveCheckpoint(join(dir, 'run'), {
      state: { step: 4 },
      tensors: [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }],
    });
    expect(stateOf(join(dir, 'run'), cfg)).toEqual({ kind: 'resume', step: 4 });
    writeRun(join(dir, 'fail'), cfg, 'failed');
    expect(stateOf(join(dir, 'fail'), cfg)).toEqual({ kind: 'retry', step: null });

    const s = stateOf(join(dir, 'done'), config({ train: { steps: 5, lr: 0.05 } }));
    expect(s.kind).toBe('changed');
    expect(describeState(s)).toBe('changed: train.lr: 0.1 → 0.05');
    // A changed interrupted run is changed too: its checkpoint is never resumed under the new config.
    expect(stateOf(join(dir, 'run'), config({ seed: 3 })).kind).toBe('changed');

    writeRun(join(dir, 'old'), cfg, 'completed', [], false);
    expect(stateOf(join(dir, 'old'), cfg)).toEqual({ kind: 'unknown', changes: [] });
    expect(describeState(stateOf(join(dir, 'old'), config({ seed: 2 })))).toBe(
      'unknown: written before runs had fingerprints; config differs: seed: 0 → 2',
    );

    writeRun(join(dir, 'bad'), cfg, 'completed');
    writeFileSync(join(dir, 'bad', 'manifest.json'), '{"id": "ba');
    expect(stateOf(join(dir, 'bad'), cfg)).toMatchObject({
      kind: 'damaged',
      file: join(dir, 'bad', 'manifest.json'),
      removable: true,
    });

    const ckpt = join(dir, 'run', 'checkpoint', 'ckpt.bin');
    truncateSync(ckpt, readFileSync(ckpt).length - 4);
    expect(describeState(stateOf(join(dir, 'run'), cfg))).toBe(
      `damaged: ${ckpt}: truncated: 4 of 8 data bytes`,
    );
    truncateSync(ckpt, 100);
    expect(stateOf(join(dir, 'run'), cfg)).toMatchObject({ kind: 'damaged', file: ckpt });
    saveCheckpoint(join(dir, 'flip'), {
      state: { step: 1 },
      tensors: [{ name: 'w', shape: [2], data: new Float32Array([1, 2]) }],
    });
    writeRun(join(dir, 'flip'), cfg, 'running');
    const bytes = readFileSync(join(dir, 'flip', 'checkpoint', 'ckpt.bin'));
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(join(dir, 'flip', 'checkpoint', 'ckpt.bin'), bytes);
    expect(describeState(stateOf(join(dir, 'flip'), cfg))).toMatch(/does not match the digest/);

    writeFileSync(join(dir, 'file'), 'not a directory');
    expect(stateOf(join(dir, 'file'), cfg)).toMatchObject({ kind: 'damaged', removable: false });

    const lock = acquireRunLock(join(dir, 'done'), () => {});
    expect(isLock(lock)).toBe(true);
    expect(describeState(stateOf(join(dir, 'done'), cfg))).toMatch(
      new RegExp(`^held by pid ${process.pid} on `),
    );
    if (isLock(lock)) lock.release();
    expect(stateOf(join(dir, 'done'), cfg).kind).toBe('done');
  });

  it('parses --retrain and refuses anything else by name', () => {
    expect(parseRetrain('changed')).toEqual({ changed: true, damaged: false });
    expect(parseRetrain('damaged,changed')).toEqual({ changed: true, damaged: true });
    expect(() => parseRetrain('everything')).toThrow(/--retrain: expected changed, damaged/);
  });
});
