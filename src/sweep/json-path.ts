// Problems in an experiment file are reported by where they sit, written the way a reader
// would look them up: base.model.depth, sweep["model.depth"][2], include[0]["train.lr"].
export type PathSegment = string | number | symbol;

export function formatJsonPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) {
      out += out === '' ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** One thing wrong with an experiment file, at one place. */
export interface Problem {
  path: string;
  message: string;
}

export function formatProblems(file: string, problems: readonly Problem[]): string {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `${file}: ${problems.length} ${noun}; nothing was run.\n${lines.join('\n')}`;
}
