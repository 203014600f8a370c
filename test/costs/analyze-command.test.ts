// `gradflow analyze` output formats and the comparison page.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import analyze from '../../src/cli/commands/analyze.js';
import { UserError } from '../../src/ground/errors.js';
import { runHandler } from './run-command.js';

const scratch = mkdtempSync(join(tmpdir(), 'gradflow-arch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const defaults = {
  batch: 32,
  perLayer: false,
  json: false,
  csv: false,
  time: false,
  timeBatch: 4,
  timeSteps: 3,
};

describe('gradflow analyze', () => {
  test('--json prints an array with the documented fields', async () => {
    const { stdout } = await runHandler(analyze, { ...defaults, models: ['vgg16', 'resnet50'], json: true });
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.model)).toEqual(['vgg16', 'resnet50']);
    for (const key of [
      'model',
      'input',
      'params',
      'trainable_params',
      'macs',
      'flops',
      'weight_bytes',
      'activation_bytes',
    ]) {
      expect(rows[1]).toHaveProperty(key);
    }
    expect(rows[1]).toMatchObject({ input: '224x224x3', batch: 32, trainable_params: 25_557_032 });
    expect(rows[0].layers).toBeUndefined();
  });

  test('text table shows counts beside the published numbers', async () => {
    const { stdout } = await runHandler(analyze, { ...defaults, models: ['resnet18'] });
    const line = stdout.split('\n').find((l) => l.startsWith('resnet18'))!;
    expect(line).toMatch(/224x224x3\s+11,699,112\s+11,689,512\s+1\.81\s+3\.63\s.*11,689,512\s+1\.81$/);
  });

  test('--csv --per-layer: one row per op, long format', async () => {
    const { stdout } = await runHandler(analyze, {
      ...defaults,
      models: ['cifar-resnet20'],
      csv: true,
      perLayer: true,
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('model,input,name,depth_index,type,output_shape,params,macs');
    expect(lines).toContain('cifar-resnet20,32x32x3,stem.conv,1,conv3x3,32x32x16,432,442368');
    expect(lines).toContain('cifar-resnet20,32x32x3,head.dense,20,dense,10,650,640');
  });

  test('--input applies to every model; unknown models fail with the accepted forms', async () => {
    const { stdout } = await runHandler(analyze, {
      ...defaults,
      models: ['resnet18'],
      input: '64x64x3',
      json: true,
    });
    expect(JSON.parse(stdout)[0]).toMatchObject({ input: '64x64x3' });
    await expect(runHandler(analyze, { ...defaults, models: ['alexnet'] })).rejects.toThrow(UserError);
    await expect(runHandler(analyze, { ...defaults, models: ['alexnet'] })).rejects.toThrow(
      /unknown model "alexnet"/,
    );
  });

  test('--report writes one offline page with the table, the claims checked and four figures', async () => {
    const file = join(scratch, 'architectures.html');
    const { stderr } = await runHandler(analyze, {
      ...defaults,
      models: ['vgg16', 'resnet50'],
      report: file,
    });
    expect(stderr).toContain(`wrote ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('Claims, checked');
    expect(html.match(/class="verdict verdict-/g)).toHaveLength(4);
    expect(html).toContain('VGG-16&#39;s FLOPs are dominated by its fully connected layers');
    expect(html.match(/<section class="figure"/g)).toHaveLength(4);
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(4);
    expect(html).toContain('He et al. 2015, Table 3');
    expect(html).toContain('data-library="vega-embed@');
    // offline: nothing loaded from the network
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
  });

  test('--report for models without published numbers leaves out the accuracy figure, keeps the claims', async () => {
    const file = join(scratch, 'cifar.html');
    await runHandler(analyze, { ...defaults, models: ['cifar-resnet20', 'cifar-plain20'], report: file });
    const html = readFileSync(file, 'utf8');
    expect(html.match(/<section class="figure"/g)).toHaveLength(3);
    expect(html).not.toContain('id="fig-accuracy"');
    expect(html.match(/class="verdict verdict-/g)).toHaveLength(4);
    expect(html).toContain('<td>cifar-plain20</td>');
  });
});

describe('gradflow analyze --width', () => {
  it('says the width it used, sets it for cifar-* nets, and refuses it for a net with its own widths', async () => {
    const run = (width?: number) =>
      runHandler(analyze, { ...defaults, models: ['cifar-basic-20'], json: true, width });
    const [plain, wide] = [await run(), await run(32)];
    expect(plain.stderr).toContain('cifar-* nets at first-stage width 16 (--width sets it)');
    expect(wide.stderr).toContain('at first-stage width 32');
    // conv weights scale with the width squared: about 4x the parameters
    const [p16, p32] = [JSON.parse(plain.stdout)[0].params, JSON.parse(wide.stdout)[0].params];
    expect(p32 / p16).toBeGreaterThan(3.9);
    expect(p32 / p16).toBeLessThan(4.0);
    const refused = runHandler(analyze, { ...defaults, models: ['resnet18'], width: 32 });
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      '--width sets the width of cifar-* nets; resnet18 has a width of its own',
    );
  });
});
