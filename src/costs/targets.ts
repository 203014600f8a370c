// What `gradflow analyze` is asked about: a built-in model name, or an experiment file whose
// model section (plugins included) is analysed. Each resolves to a model config plus the input it
// is analysed on; the network itself always comes from src/models, the code that trains.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../ground/errors.js';
import { readJsonFile } from '../ground/json-file.js';
import { ModelConfig } from '../config/schema.js';
import { NAME_FORMS } from './conventions.js';

export interface AnalysisTarget {
  /** Label in tables: the name asked for, or `<experiment>/<run>` for experiment files. */
  label: string;
  cfg: ModelConfig;
  inputShape: number[];
  numClasses: number;
}

export const IMAGENET_INPUT = [224, 224, 3];
export const CIFAR_INPUT = [32, 32, 3];
export const MLP_INPUT = [784];

/** "224x224x3" -> [224, 224, 3]; "784" -> [784]. */
export function parseInput(text: string, flag = '--input'): number[] {
  const parts = text.trim().toLowerCase().split('x');
  const dims = parts.map(Number);
  if (parts.length < 1 || parts.length > 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new UserError(
      `${flag} ${JSON.stringify(text)}: expected HxWxC (e.g. 224x224x3) or a feature count (e.g. 784)`,
    );
  }
  return dims;
}

export function formatInput(shape: number[]): string {
  return shape.join('x');
}

// The CIFAR and MLP names use the block registry's names; these read better in a model name.
const BLOCK_ALIASES: Record<string, string> = { resnet: 'basic' };

function cfg(partial: Record<string, unknown>): ModelConfig {
  return ModelConfig.parse(partial);
}

/**
 * A built-in model name to its config; `input` overrides the family's default input, `width` the
 * first stage's width of a cifar-* net (its label says the width used, default or not).
 */
export function builtinTarget(name: string, input?: number[], width?: number): AnalysisTarget {
  const lower = name.toLowerCase();
  let m = /^vgg(11|13|16|19)(_bn)?$/.exec(lower);
  if (m)
    return {
      label: lower,
      cfg: cfg({ family: 'vgg', variant: lower, norm: m[2] ? 'batch' : 'none' }),
      inputShape: input ?? IMAGENET_INPUT,
      numClasses: 1000,
    };
  m = /^resnet(18|34|50|101|152)$/.exec(lower);
  if (m) {
    const block = Number(m[1]) >= 50 ? 'bottleneck' : 'basic';
    return {
      label: lower,
      cfg: cfg({ family: 'resnet', variant: lower, block, shortcut: 'B' }),
      inputShape: input ?? IMAGENET_INPUT,
      numClasses: 1000,
    };
  }
  m = /^cifar-(.+?)-?(\d+)$/.exec(lower);
  if (m) {
    const block = BLOCK_ALIASES[m[1]] ?? m[1];
    const model = cfg({
      family: 'cifar',
      block,
      depth: Number(m[2]),
      ...(width !== undefined ? { width } : {}),
    });
    return {
      label: lower,
      cfg: model,
      inputShape: input ?? CIFAR_INPUT,
      numClasses: 10,
    };
  }
  m = /^mlp-(?:(.+)-)?(\d+)x(\d+)$/.exec(lower);
  if (m) {
    const block = m[1] ? (BLOCK_ALIASES[m[1]] ?? m[1]) : 'plain';
    return {
      label: lower,
      cfg: cfg({ family: 'mlp', block, depth: Number(m[2]), width: Number(m[3]) }),
      inputShape: input ?? MLP_INPUT,
      numClasses: 10,
    };
  }
  throw new UserError(`unknown model "${name}"; use one of:\n  ${NAME_FORMS.join('\n  ')}`);
}

/** Every distinct model config an experiment file's runs use (its plugins are loaded first). */
export async function experimentTargets(file: string, input?: number[]): Promise<AnalysisTarget[]> {
  if (!existsSync(resolve(file))) throw new UserError(`experiment file not found: ${file}`);
  const { loadExperiment } = await import('../sweep/load.js');
  const { loadPlugins } = await import('../plugins.js');
  const { dataShape } = await import('../data/datasets.js');
  // Load the plugins through the plugin loader first (it also handles .ts plugins), so the
  // experiment's own checks find their blocks already registered.
  const raw = readJson(file) as { plugins?: unknown };
  if (Array.isArray(raw?.plugins))
    await loadPlugins(
      raw.plugins.filter((p): p is string => typeof p === 'string'),
      dirname(resolve(file)),
    );
  const experiment = await loadExperiment(file);
  const seen = new Map<string, AnalysisTarget>();
  for (const spec of experiment.specs) {
    const shape = dataShape(spec.config.data);
    const target: AnalysisTarget = {
      label: `${experiment.name}/${spec.id}`,
      cfg: spec.config.model,
      inputShape: input ?? shape.inputShape,
      numClasses: shape.numClasses,
    };
    const key = JSON.stringify([target.cfg, target.inputShape, target.numClasses]);
    if (!seen.has(key)) seen.set(key, target);
  }
  return [...seen.values()];
}

function readJson(file: string): unknown {
  return readJsonFile(resolve(file), file);
}

/** Resolve each command-line model argument (a name or an experiment .json). */
export async function resolveTargets(
  models: string[],
  input?: number[],
  width?: number,
): Promise<AnalysisTarget[]> {
  if (width !== undefined) {
    if (!Number.isInteger(width) || width < 1)
      throw new UserError(`--width must be a positive integer, got ${width}`);
    const others = models.filter((m) => !/^cifar-/i.test(m));
    if (others.length)
      throw new UserError(
        `--width sets the width of cifar-* nets; ${others.join(', ')} ${others.length === 1 ? 'has' : 'have'} a width of its own`,
      );
  }
  const out: AnalysisTarget[] = [];
  for (const m of models) {
    if (m.toLowerCase().endsWith('.json')) out.push(...(await experimentTargets(m, input)));
    else out.push(builtinTarget(m, input, width));
  }
  return out;
}
