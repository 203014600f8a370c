// Errors that carry their own exit code: 2 for bad input or an unavailable backend (the user
// can fix it), 1 for anything unexpected.
export class UserError extends Error {
  readonly exitCode: number = 2;
}

export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown })?.exitCode;
  return typeof code === 'number' ? code : 1;
}
