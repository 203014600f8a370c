// yargs's strict mode answers a mistyped flag with the whole help and "Unknown argument: plugn" last.
// Say instead which option is unknown and the nearest one the command has.
import { distance } from 'fastest-levenshtein';

/** The --options a command's help text lists. */
export function optionsInHelp(help: string): string[] {
  return [...new Set([...help.matchAll(/(?:^|\s)--([a-z][\w-]*)/gm)].map((m) => m[1]))];
}

const letters = (s: string): string => [...s].sort().join('');

/**
 * The nearest option, when it is near enough to be what was meant (a typo, not another word). Two
 * swapped letters cost 2 edits in Levenshtein's distance, so the same letters reordered count one less.
 */
export function nearestOption(name: string, options: string[]): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const option of options) {
    const score = distance(name, option) - (letters(name) === letters(option) ? 1 : 0);
    if (score < bestScore) [best, bestScore] = [option, score];
  }
  return best !== null && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/**
 * yargs's "Unknown argument(s): a, b" as one line per argument with a suggestion, or null when the
 * message is about something else.
 */
export function explainUnknownArguments(message: string, help: string, command: string): string | null {
  const m = /^Unknown arguments?: (.+)$/.exec(message.trim());
  if (!m) return null;
  const options = optionsInHelp(help);
  return m[1]
    .split(', ')
    .map((raw) => {
      const name = raw.replace(/^-+/, '');
      const near = nearestOption(name, options);
      const shown = raw.length === 1 ? `-${raw}` : raw.startsWith('-') ? raw : `--${raw}`;
      return `${command}: unknown option ${shown}${near ? `; did you mean --${near}?` : ''}`;
    })
    .concat(`(${command} --help lists its options)`)
    .join('\n');
}
