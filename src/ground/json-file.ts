// JSON a user wrote (experiment files, run configs, model lists): a syntax error names the file, the
// line and the column. JSON.parse says "at position N" on some Node versions and nothing at all on
// others ("Unexpected token '}', ... is not valid JSON"); jsonc-parser, in strict mode, finds the place.
import { readFileSync } from 'node:fs';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UserError } from './errors.js';

/** Line and column (both from 1) of a character offset into `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The first syntax error in `text` as "comma expected at line 3, column 9", or null when it parses. */
export function jsonSyntaxError(text: string): string | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length === 0) return null;
  const { error, offset } = errors[0];
  const what = printParseErrorCode(error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  const { line, column } = lineAndColumn(text, offset);
  return `${what} at line ${line}, column ${column}`;
}

export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${where}: not valid JSON: ${jsonSyntaxError(text) ?? (err as Error).message}`);
  }
}

export function readJsonFile(path: string, where = path): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${where}: cannot read it (${code ?? (err as Error).message})`);
  }
  return parseJsonText(text, where);
}
