// Every `gradflow` command, one module each.
import type { CommandModule } from 'yargs';
import analyze from './analyze.js';
import backends from './backends.js';
import bench from './bench.js';
import blocks from './blocks.js';
import demo from './demo.js';
import importWeights from './import-weights.js';
import landscape from './landscape.js';
import lesion from './lesion.js';
import report from './report.js';
import run from './run.js';
import serve from './serve.js';
import shatter from './shatter.js';
import summarize from './summarize.js';
import train from './train.js';

export const commands: CommandModule<any, any>[] = [
  demo,
  run,
  train,
  report,
  serve,
  summarize,
  analyze,
  blocks,
  bench,
  backends,
  importWeights,
  lesion,
  landscape,
  shatter,
];
