// Options whose value is a regular expression over run ids. A run id pattern often starts with '-'
// ("-d56-"), which an argument parser reads as a cluster of short flags; such a value is bound to
// its option here, as if written --only=-d56-.
const PATTERN_OPTIONS = new Set(['--only']);

export function bindPatternValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (PATTERN_OPTIONS.has(argv[i]) && next !== undefined && next.startsWith('-') && next !== '--') {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}
