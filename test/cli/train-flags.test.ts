// `gradflow train` flags for transfer and block options: they land in the run config the trainer reads.
import { configFromArgs, parseBlockOptions, parseClassesFlag } from '../../src/cli/commands/train.js';
import { RunConfig } from '../../src/config/schema.js';

describe('gradflow train transfer flags', () => {
  it('sets classes, the label budget and the transfer source and mode', () => {
    const raw = configFromArgs({
      classes: '5, 6,7,8,9',
      labelsPerClass: 100,
      from: 'results/train/cifar-basic-d20-s0',
      mode: 'finetune-last',
      stages: 2,
      probes: true,
      out: 'results/train',
    });
    const cfg = RunConfig.parse(raw);
    expect(cfg.data.classes).toEqual([5, 6, 7, 8, 9]);
    expect(cfg.data.labelsPerClass).toBe(100);
    expect(cfg.transfer).toEqual({
      from: 'results/train/cifar-basic-d20-s0',
      mode: 'finetune-last',
      stages: 2,
    });
  });

  it('refuses a malformed class list and an unknown mode, by name', () => {
    expect(() => parseClassesFlag('5-9')).toThrow('--classes: expected labels like 5,6,7,8,9, got "5-9"');
    const parsed = RunConfig.safeParse(configFromArgs({ mode: 'frozen', probes: true, out: 'r' }));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path).toEqual(['transfer', 'mode']);
  });
});

describe('gradflow train --block-option', () => {
  it("sets the block's options over a config file's, values typed as JSON where they read as it", () => {
    const cfg = RunConfig.parse(
      configFromArgs({
        block: 'basic',
        blockOption: ['survival=0.8', 'mode=avg', 'flags=[1,2]'],
        probes: true,
        out: 'r',
      }),
    );
    expect(cfg.model.blockOptions).toEqual({ survival: 0.8, mode: 'avg', flags: [1, 2] });
    expect(parseBlockOptions(['zero=false', 'name="x=y"'])).toEqual({ zero: false, name: 'x=y' });
  });

  it('refuses an entry without key=value, by name', () => {
    expect(() => parseBlockOptions(['survival'])).toThrow(
      '--block-option: expected key=value, got "survival"',
    );
    expect(() => parseBlockOptions(['=3'])).toThrow('--block-option: expected key=value, got "=3"');
  });
});
