// A deterministic 1/N of a sweep for one task of a job array: run k of the experiment's run list
// belongs to shard k mod N. Interleaving (rather than contiguous blocks) spreads the deep, slow
// runs of a depth sweep over all tasks. Shards 0..N-1 together cover every run exactly once.
// With `groupOf`, items of one group (a pretrained run and the runs transferring from it) are
// dealt out together, a group at a time.
import { UserError } from '../ground/errors.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UserError(`--shard must look like i/N (e.g. 0/4), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) {
    throw new UserError(`--shard ${text}: need 0 <= i < N (job array task ids start at 0)`);
  }
  return { index, count };
}

export function takeShard<T>(items: readonly T[], shard: Shard, groupOf?: (item: T) => string): T[] {
  if (!groupOf) return items.filter((_, k) => k % shard.count === shard.index);
  const groups = [...new Set(items.map(groupOf))];
  const mine = new Set(groups.filter((_, k) => k % shard.count === shard.index));
  return items.filter((item) => mine.has(groupOf(item)));
}
