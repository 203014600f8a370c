import { UserError } from '../ground/errors.js';

/** A dataset file or directory the user can fix: the message names the path and what is wrong. */
export class DataError extends UserError {
  constructor(
    readonly path: string | undefined,
    what: string,
  ) {
    super(path === undefined ? what : `${path}: ${what}`);
    this.name = 'DataError';
  }
}
