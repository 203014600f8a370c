// The loop every block-based family shares: stages of blocks from a stage table, each block's
// output checked against the shape its stage promises, so a faulty (plugin) block is named.
import { UserError } from '../ground/errors.js';
import type { Act, BlockContext, RegisteredBlock, ShortcutOption } from '../blocks/types.js';
import { sameShape } from './context.js';

/** One block of a staged network, as a lesion study sees it. */
export interface BlockSite {
  path: string; // stage2.block3
  index: number; // 0-based, from the input
  /** Whether the block can be deleted: only where its input and output shapes agree. */
  removable: boolean;
  reason?: string; // why not
}

/**
 * Lesions (Veit et al. 2016): blocks to delete at build time, and a hook that sees every block.
 * A deleted block passes its input through, which is what its identity shortcut carries (for a
 * residual block: output = shortcut(x) = x), and leaves no parameters.
 */
export interface LesionOptions {
  skipBlocks?: ReadonlySet<string>;
  onBlock?: (site: BlockSite) => void;
}

export interface StageSpec {
  filters: number; // branch filters; the stage outputs filters * expansion channels
  blocks: number;
  stride: number; // of the stage's first block
}

/** cfg.blockOptions checked against what the block declares it accepts. */
export function resolveBlockOptions(
  block: RegisteredBlock,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const schema = block.options;
  if (!schema) return { ...raw };
  if (typeof (schema as { safeParse?: unknown }).safeParse === 'function') {
    const parsed = (schema as import('zod').ZodType).safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`)
        .join('; ');
      throw new UserError(`model.blockOptions for block "${block.name}" (${block.source}): ${issues}`);
    }
    return parsed.data as Record<string, unknown>;
  }
  const accepted = Object.keys(schema);
  const unknown = Object.keys(raw).filter((k) => !accepted.includes(k));
  if (unknown.length > 0) {
    throw new UserError(
      `model.blockOptions for block "${block.name}" (${block.source}): unknown option(s) ${unknown.join(', ')}; accepted: ${accepted.join(', ') || 'none'}`,
    );
  }
  return { ...raw };
}

function expectedShape(input: number[], stride: number, channels: number): number[] {
  if (input.length === 2) return [input[0], channels];
  return [input[0], Math.ceil(input[1] / stride), Math.ceil(input[2] / stride), channels];
}

/** Stages named stage1.., blocks block1.. (1-based, as in the papers' tables). */
export function runStages(
  x: Act,
  ctx: BlockContext,
  stages: StageSpec[],
  block: RegisteredBlock,
  shortcut: ShortcutOption,
  options: Record<string, unknown>,
  lesion: LesionOptions = {},
): Act {
  const numBlocks = stages.reduce((n, s) => n + s.blocks, 0);
  let index = 0;
  stages.forEach((stage, s) => {
    const stageCtx = ctx.scope(`stage${s + 1}`);
    for (let b = 0; b < stage.blocks; b++, index++) {
      const stride = b === 0 ? stage.stride : 1;
      const scope = stageCtx.scope(`block${b + 1}`);
      const where = `block "${block.name}" (${block.source}) at ${scope.path}`;
      const expected = expectedShape(x.shape, stride, stage.filters * block.expansion);
      const removable = sameShape(expected, x.shape);
      lesion.onBlock?.({
        path: scope.path,
        index,
        removable,
        ...(removable
          ? {}
          : { reason: stride > 1 ? 'down-sampling block' : 'changes the number of channels' }),
      });
      if (lesion.skipBlocks?.has(scope.path)) {
        if (!removable)
          throw new UserError(`cannot delete ${scope.path}: its input and output shapes differ`);
        continue; // x passes through
      }
      let y: Act;
      try {
        y = block.build(x, scope, { filters: stage.filters, stride, shortcut, index, numBlocks, options });
      } catch (err) {
        if (block.source.startsWith('built-in')) throw err;
        throw new UserError(`${where} failed: ${(err as Error).message}`);
      }
      if (!y || !Array.isArray(y.shape))
        throw new UserError(`${where} returned ${String(y)}, not an activation`);
      if (!sameShape(y.shape, expected)) {
        throw new UserError(
          `${where} returned shape [${y.shape.slice(1)}] per example, expected [${expected.slice(1)}] (input [${x.shape.slice(1)}], filters ${stage.filters} x expansion ${block.expansion}, stride ${stride})`,
        );
      }
      x = y;
    }
  });
  return x;
}
