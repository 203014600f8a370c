import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The house, from the ground up: each room of src/ and the rooms it may import. Every other room is
// off limits, so an upward or sideways import fails the lint. `ground` (errors and exit codes, the
// atomic writer) imports nothing of gradflow; the report reads rows (store) and nothing that trains.
const TRAINING = [
  'ground',
  'config',
  'engine',
  'blocks',
  'models',
  'plugins',
  'data',
  'store',
  'probes',
  'weights',
];
const ROOMS = {
  ground: [],
  config: ['ground'],
  engine: ['ground', 'config'],
  blocks: ['ground', 'config', 'engine'],
  models: ['ground', 'config', 'engine', 'blocks'],
  plugins: ['ground', 'config', 'engine', 'blocks', 'models', 'data', 'probes', 'store', 'report'],
  data: ['ground', 'config'],
  store: ['ground', 'config'],
  probes: ['ground', 'config', 'store', 'models'],
  weights: ['ground', 'config', 'store', 'models'],
  train: TRAINING,
  sweep: [...TRAINING, 'train'],
  report: ['ground', 'config', 'store'],
  serve: ['ground', 'config', 'store', 'report'],
  analyses: [...TRAINING, 'train'],
  costs: [...TRAINING, 'train', 'sweep', 'report'],
};
const roomPattern = (room) => (room === 'plugins' ? ['**/plugins.js'] : [`**/${room}/*`, `**/${room}/**`]);
const layerRules = Object.entries(ROOMS).map(([room, allowed]) => {
  const banned = [...Object.keys(ROOMS), 'cli'].filter((r) => r !== room && !allowed.includes(r));
  const why = (r) =>
    `src/${room} may import only ${allowed.join(', ') || 'nothing of gradflow'} (the layer order in eslint.config.js); ${r} is not below it`;
  // Static imports by path pattern; import() by its string, since a lazy import is a dependency too.
  const staticRule = banned.map((r) => ({ group: roomPattern(r), message: why(r) }));
  const dynamicRule = banned.map((r) => ({
    selector: `ImportExpression > Literal[value=/\\/${r === 'plugins' ? 'plugins\\.js' : `${r}\\/`}/]`,
    message: why(r),
  }));
  return {
    files: room === 'plugins' ? ['src/plugins.ts'] : [`src/${room}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: staticRule }],
      'no-restricted-syntax': ['error', ...dynamicRule],
    },
  };
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.ci/toolchain/',
      '.ci/node20/',
      'native/build/',
      'results/',
      'reports/',
      'coverage/',
      'scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  ...layerRules,
  {
    // The native addon's install script and entry point are CommonJS run by npm, not ESM.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
