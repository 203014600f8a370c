// Every built-in block, by the file that defines it (the registry tags each with its source).
import basic from './basic.js';
import bottleneck from './bottleneck.js';
import fixup from './fixup.js';
import plain from './plain.js';
import preact from './preact.js';
import rezero from './rezero.js';
import skipinit from './skipinit.js';
import type { BlockDefinition } from './types.js';

export const builtinBlocks: { file: string; blocks: BlockDefinition[] }[] = [
  { file: 'src/blocks/plain.ts', blocks: plain },
  { file: 'src/blocks/basic.ts', blocks: basic },
  { file: 'src/blocks/bottleneck.ts', blocks: bottleneck },
  { file: 'src/blocks/preact.ts', blocks: preact },
  { file: 'src/blocks/rezero.ts', blocks: rezero },
  { file: 'src/blocks/skipinit.ts', blocks: skipinit },
  { file: 'src/blocks/fixup.ts', blocks: fixup },
];
