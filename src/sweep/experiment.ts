// The experiment file: a base run config plus the axes to sweep. One zod schema is both the
// validator and, through z.toJSONSchema, the JSON Schema editors use (schema/experiment.schema.json).
import { z } from 'zod';
import { RunConfig } from '../config/schema.js';
import { configPaths } from './config-path.js';

/** What a results directory may be called: an experiment's "name" (or its file name). */
export const EXPERIMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A value of a swept config path; checked against that path's own schema after parsing. */
const SweepValue = z.unknown();

/** Config path -> value for one extra run (include) or one pattern of runs to drop (exclude). */
const Assignment = z.record(z.string(), SweepValue);

export const ExperimentFile = z
  .strictObject({
    $schema: z.string().optional().describe('path of this JSON Schema, for editors'),
    name: z
      .string()
      .regex(EXPERIMENT_NAME, 'letters, digits, ".", "_" and "-" only (it names a directory)')
      .optional()
      .describe('results go to results/<name>/ (default: the file name without .json)'),
    description: z.string().optional(),
    base: RunConfig.default(RunConfig.parse({})).describe(
      'the run config every run starts from; omitted fields take defaults',
    ),
    sweep: z
      .record(z.string(), z.array(SweepValue).min(1, 'list at least one value'))
      .default({})
      .describe('dotted config path -> values, e.g. "model.depth": [20, 32]; every combination is one run'),
    seeds: z
      .array(z.number().int().min(0))
      .min(1)
      .optional()
      .describe('shorthand for sweep.seed, always the innermost axis'),
    include: z
      .array(Assignment)
      .default([])
      .describe(
        'extra runs outside the grid, each a map of config path -> value applied to base (one per seed unless it sets seed)',
      ),
    exclude: z
      .array(Assignment)
      .default([])
      .describe(
        'patterns of config path -> value (or list of values); grid runs matching every entry are dropped',
      ),
    pretrain: Assignment.optional().describe(
      'config path -> value for the source runs of transfer runs that name no transfer.from: one per model and seed, trained first on the base with these over it',
    ),
    plugins: z
      .array(z.string())
      .default([])
      .describe('modules registering extra blocks, relative to this file; loaded by every run'),
    analyses: z
      .array(z.union([z.string(), z.looseObject({ name: z.string() })]))
      .default([])
      .describe(
        'analyses `gradflow run` runs on each completed run after training (resumably): "lesion", or {"name": "lesion", ...settings}',
      ),
  })
  .describe('A gradflow experiment: one base config and the axes of a sweep');

export type ExperimentFile = z.infer<typeof ExperimentFile>;

/** JSON Schema for the keys of sweep / include / exclude: the run config's paths, so editors complete them. */
function configPathKeys(): Record<string, unknown> {
  const { paths, openPrefixes } = configPaths();
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    anyOf: [
      { enum: paths },
      ...openPrefixes.map((prefix) => ({ type: 'string', pattern: `^${escape(prefix)}.+` })),
    ],
  };
}

/** The JSON Schema shipped as schema/experiment.schema.json: what a user may write (defaults optional). */
export function experimentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ExperimentFile, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, { propertyNames?: unknown; items?: { propertyNames?: unknown } }>;
  };
  const keys = configPathKeys();
  schema.properties.sweep.propertyNames = keys;
  schema.properties.include.items!.propertyNames = keys;
  schema.properties.exclude.items!.propertyNames = keys;
  schema.properties.pretrain.propertyNames = keys;
  return {
    ...schema,
    $id: 'https://github.com/gradflow/gradflow-lab/schema/experiment.schema.json',
    title: 'gradflow experiment',
  };
}
