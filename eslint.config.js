// Lint rules, including the layer boundaries of docs/ARCHITECTURE.md: each block below says which folders a
// layer may not import from. The store engines are reached only through src/store/open.ts, from the
// composition root.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const engines = {
  group: ['**/store/sqlite/**', '**/store/postgres/**', '**/store/open.js'],
  message: 'Only the composition root opens a store engine; use the Store port (store/store.ts).',
};
const outer = (...layers) =>
  layers.map((layer) => ({
    group: [`**/${layer}/**`, `../${layer}/*`],
    message: `This layer may not depend on ${layer}/ (see docs/ARCHITECTURE.md).`,
  }));
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'bin/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['describe', 'it', 'test', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
    },
  },
  restrict(['src/error.ts'], [{ group: ['./*', '../*'], message: 'error.ts is a leaf.' }]),
  restrict(
    ['src/domain/**'],
    [
      engines,
      ...outer(
        'store',
        'nomenclature',
        'fhir',
        'sources',
        'reconcile',
        'publish',
        'http',
        'web',
        'cli',
        'sync',
        'ror',
        'registration',
      ),
    ],
  ),
  restrict(
    ['src/nomenclature/**'],
    [
      engines,
      ...outer(
        'store',
        'fhir',
        'sources',
        'reconcile',
        'publish',
        'http',
        'web',
        'cli',
        'sync',
        'ror',
        'registration',
      ),
    ],
  ),
  restrict(
    ['src/store/store.ts', 'src/store/sql/**'],
    [
      engines,
      ...outer(
        'fhir',
        'sources',
        'reconcile',
        'publish',
        'http',
        'web',
        'cli',
        'sync',
        'ror',
        'registration',
        'nomenclature',
      ),
    ],
  ),
  restrict(
    ['src/store/sqlite/**', 'src/store/postgres/**'],
    [
      ...outer(
        'fhir',
        'sources',
        'reconcile',
        'publish',
        'http',
        'web',
        'cli',
        'sync',
        'ror',
        'registration',
        'nomenclature',
      ),
    ],
  ),
  restrict(
    ['src/fhir/**'],
    [engines, ...outer('sources', 'reconcile', 'publish', 'http', 'web', 'cli', 'sync')],
  ),
  restrict(
    ['src/sources/**'],
    [engines, ...outer('store', 'fhir', 'reconcile', 'publish', 'http', 'web', 'cli', 'sync')],
  ),
  restrict(
    ['src/reconcile/**', 'src/publish/**', 'src/registration/**', 'src/ror/**', 'src/sync/**'],
    [engines, ...outer('http', 'web', 'cli')],
  ),
  restrict(['src/http/**', 'src/web/**'], [engines, ...outer('cli', 'sources')]),
  restrict(['src/cli/**'], [engines]),
);
