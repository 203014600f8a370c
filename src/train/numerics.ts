// The arithmetic a run's numbers depend on beyond its configuration. The same config and seed repeat
// bit-exactly on the same backend, backend version, thread count and CPU instruction set; change any
// of them and the order of floating-point reductions changes (oneDNN partitions a convolution's sums
// per thread and picks AVX2 or AVX-512 kernels at run time), which SGD amplifies into other results.
// So a run records its numerics, and a resume under other numerics is refused unless it is asked for,
// in which case the manifest records the step where they changed.
import { readFileSync } from 'node:fs';
import { UserError } from '../ground/errors.js';
import type { Numerics, NumericsChange } from '../store/types.js';

export type { Numerics, NumericsChange } from '../store/types.js';

let isa: string | undefined;

/** The widest vector instruction set the CPU offers the backend's kernels: avx512, avx2, avx, sse, or the arch. */
export function cpuIsa(): string {
  if (isa !== undefined) return isa;
  isa = process.arch;
  if (process.arch === 'x64' && process.platform === 'linux') {
    try {
      const flags = new Set(
        (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/),
      );
      isa = flags.has('avx512f') ? 'avx512' : flags.has('avx2') ? 'avx2' : flags.has('avx') ? 'avx' : 'sse';
    } catch {
      // not readable: the arch alone
    }
  }
  return isa;
}

export function numericsOf(engine: {
  name: string;
  version: string;
  threads: number;
  device?: string;
}): Numerics {
  const n: Numerics = {
    backend: engine.name,
    version: engine.version,
    threads: engine.threads,
    isa: cpuIsa(),
  };
  if (engine.device) n.device = engine.device;
  return n;
}

/** "native 2.6.3, 2 threads, avx512" */
export function describeNumerics(n: Numerics): string {
  return `${n.backend} ${n.version}, ${n.threads} thread${n.threads === 1 ? '' : 's'}${n.isa ? `, ${n.isa}` : ''}`;
}

/**
 * What differs between the numerics a run trained under and those it would resume under, as
 * "threads 2 → 1". An instruction set a run did not record (written before it was) is not compared.
 */
export function numericsDifferences(was: Numerics, now: Numerics): string[] {
  const out: string[] = [];
  if (was.backend !== now.backend) out.push(`backend ${was.backend} → ${now.backend}`);
  else if (was.version !== now.version) out.push(`${was.backend} version ${was.version} → ${now.version}`);
  if (was.threads !== now.threads) out.push(`threads ${was.threads} → ${now.threads}`);
  if (was.isa && now.isa && was.isa !== now.isa) out.push(`instruction set ${was.isa} → ${now.isa}`);
  if ((was.device ?? '') !== (now.device ?? ''))
    out.push(`device ${was.device ?? 'none'} → ${now.device ?? 'none'}`);
  return out;
}

/** The numerics a run's manifest says it last trained under (older manifests: its backend line). */
export function recordedNumerics(manifest: {
  numerics?: Numerics;
  backend: { name: string; version: string; threads: number };
}): Numerics {
  return (
    manifest.numerics ?? {
      backend: manifest.backend.name,
      version: manifest.backend.version,
      threads: manifest.backend.threads,
      isa: '',
    }
  );
}

/** A resume would continue a run under other numerics than it trained under so far (exit code 2). */
export class NumericsChangedError extends UserError {
  constructor(runs: { id: string; step: number; was: Numerics; now: Numerics }[]) {
    const lines = runs.map(
      (r) =>
        `  ${r.id}: trained to step ${r.step} on ${describeNumerics(r.was)}; ` +
        `would resume on ${describeNumerics(r.now)} (${numericsDifferences(r.was, r.now).join(', ')})`,
    );
    const which = runs.length === 1 ? '1 run would resume' : `${runs.length} runs would resume`;
    super(
      `${which} under other numerics, which changes its results; nothing was run:\n${lines.join('\n')}\n` +
        `Ways forward: run it again as it trained (--backend ${runs[0].was.backend} --threads ${runs[0].was.threads}` +
        `${runs[0].was.isa ? ` on an ${runs[0].was.isa} machine` : ''}), or --allow-numerics-change continues and records the change ` +
        `(with its step) in the manifest.`,
    );
    this.name = 'NumericsChangedError';
  }
}

/** The manifest's history with this resume's change appended, when there is one. */
export function withNumericsChange(
  history: NumericsChange[] | undefined,
  step: number,
  was: Numerics,
  now: Numerics,
): NumericsChange[] | undefined {
  if (numericsDifferences(was, now).length === 0) return history;
  return [...(history ?? []), { step, from: was, to: now }];
}
