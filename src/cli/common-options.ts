// Options that several commands declare alike, and what they do before a command runs: the backend
// that runs the nets, and block plugin files loaded first.

/** --backend and --threads of the commands that run nets (train, lesion, landscape, shatter). */
export const BACKEND_OPTIONS = {
  backend: { type: 'string', describe: 'force a backend (gradflow backends lists them)' },
  threads: { type: 'number', describe: 'backend threads (default: all cores)' },
} as const;

/** --allow-numerics-change of the commands that resume runs (train, run). */
export const NUMERICS_OPTION = {
  type: 'boolean',
  describe:
    'resume a run under another backend, thread count or instruction set than it trained under (recorded in its manifest with the step); refused otherwise, since it changes the results',
} as const;

/** --plugin of the commands that build nets from flags (train, bench). */
/** The results directories a reader of runs takes (report, serve). */
export const RESULTS_DIRS_POSITIONAL = {
  describe: 'results directories: an experiment (results/<experiment>), a run, or results/ itself',
  type: 'string',
  array: true,
  demandOption: true,
} as const;

export const PLUGIN_OPTION = {
  type: 'string',
  array: true,
  describe: 'block plugin file(s) to load first',
} as const;

/** Loads the plugin files given, if any; the plugin loader is imported only then. */
export async function loadPluginFiles(files: readonly string[] | undefined): Promise<void> {
  if (!files?.length) return;
  const { loadPlugins } = await import('../plugins.js');
  await loadPlugins([...files]);
}
