// Errors that carry their own exit code: 2 for bad input or an unavailable backend (the user
// can fix it), 1 for anything unexpected.
export class UserError extends Error {
  readonly exitCode: number = 2;
}

export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown })?.exitCode;
  return typeof code === 'number' ? code : 1;
}

/** A problem in one field of a configuration: `path` names the field (model.depth). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A user's mistake in one config field, thrown by a builder; the sweep maps it to its JSON path. */
export class ConfigError extends UserError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
