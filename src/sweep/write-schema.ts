// Writes schema/experiment.schema.json from the zod schema (the file every shipped experiment
// names in "$schema"). Run after changing the run config or the experiment schema:
//   npm run build && node dist/sweep/write-schema.js
// test/sweep/schema.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimentJsonSchema } from './experiment.js';

export function experimentSchemaText(): string {
  return JSON.stringify(experimentJsonSchema(), null, 2) + '\n';
}

/** schema/ at the package root, from src/sweep/ or dist/sweep/ alike. */
export const schemaFile = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'schema',
  'experiment.schema.json',
);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, experimentSchemaText());
  console.log(`wrote ${schemaFile}`);
}
