// Lint: eslint's recommended rules plus typescript-eslint's, over sources, tests and scripts,
// and the order of the layers under src/ (issue 20), enforced by eslint-plugin-boundaries.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = fileURLToPath(new URL('.', import.meta.url));

// The layers of src/, lowest first. A layer may import itself and the layers before it, never one
// after it: so no cycle between folders can form. The features (users … stats) are layers too, in
// this order, so a page or the API router, which combine several, sit above all of them.
const layers = [
  { name: 'types', pattern: 'src/types/**' }, // ambient *.d.ts; may be imported by anyone
  { name: 'config', pattern: 'src/config.ts' },
  { name: 'core', pattern: 'src/core/**' },
  { name: 'db', pattern: 'src/db/**' },
  { name: 'runtime', pattern: 'src/runtime/**' },
  { name: 'middleware', pattern: 'src/middleware/**' },
  { name: 'limits', pattern: 'src/limits/**' },
  { name: 'sessions', pattern: 'src/sessions/**' },
  { name: 'cache', pattern: 'src/cache/**' },
  { name: 'mail', pattern: 'src/mail/**' },
  { name: 'settings', pattern: 'src/settings/**' },
  { name: 'users', pattern: 'src/users/**' },
  { name: 'profiles', pattern: 'src/profiles/**' },
  { name: 'articles', pattern: 'src/articles/**' },
  { name: 'comments', pattern: 'src/comments/**' },
  { name: 'stats', pattern: 'src/stats/**' },
  { name: 'account', pattern: 'src/account/**' },
  { name: 'admin', pattern: 'src/admin/**' },
  { name: 'api', pattern: 'src/api/**' },
  { name: 'site', pattern: 'src/site/**' },
  { name: 'app', pattern: 'src/{app,boot}.ts' },
  { name: 'seed', pattern: 'src/seed/**' },
  { name: 'cli', pattern: 'src/cli/**' },
  { name: 'bin', pattern: 'src/bin/**' },
];
// cli and bin share the top: both may import everything below, neither the other.
const peers = { cli: 'bin', bin: 'cli' };

// Each layer is a file category (a single file like config.ts cannot be a folder element).
const files = layers.map(({ name, pattern }) => ({ category: name, pattern }));

const policies = layers.map(({ name }, index) => ({
  from: { file: { categories: name } },
  allow: {
    to: {
      file: {
        categories: layers
          .slice(0, index + 1)
          .map((layer) => layer.name)
          .filter((lower) => lower !== peers[name]),
      },
    },
  },
}));
// `quire start` runs the server: the one way up from cli to bin, and only as a dynamic import.
policies.push({
  from: { file: { categories: 'cli', path: 'src/cli/start.ts' } },
  allow: {
    to: { file: { categories: 'bin', path: 'src/bin/www.ts' } },
    dependency: { nodeKind: 'dynamic-import' },
  },
});

const order = layers.map((layer) => layer.name).join(' < ');

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'logs/**', 'test-output/**', 'public/app/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.nodeBuiltin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
    },
  },
  {
    // The sources only: tests (beside the code or under test/) and bench/ may import anything.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': root,
      'boundaries/files': files,
      // `import type` and `export … from` count as much as a value import.
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      // Maps the `.js` specifiers of our ESM imports to the `.ts` files they name.
      'import/resolver': { typescript: { project: `${root}tsconfig.json` } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: `{{from.file.categories}} must not import {{to.file.categories}}: a layer imports only those below it (${order})`,
          policies,
        },
      ],
      // A new folder under src/ must be given its place in the order above.
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
    },
  },
  {
    // Migrations are typed Kysely<any> on purpose: frozen in time, whatever the tables become.
    files: ['src/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
