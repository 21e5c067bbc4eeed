// ESLint (flat config): TypeScript, the rules of hooks, and the layer
// direction of DEVELOPERS.md enforced with no-restricted-imports per folder:
// runtime and geometry at the bottom, then state, then the kit, then figures,
// then chapters.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** An import path that names one of our folders (relative, at any depth). */
const folder = (...names) => `(^|/)(${names.join('|')})(/|$)`;
const restrict = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(([regex, message]) => ({ regex, message })) }],
});
const REACT = ['^react(-dom)?(/|$)', 'This layer has no React.'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-sub/**', 'test-results/**', 'node_modules/**', 'models/**', 'docs/**', '**/*.min.js', 'public/**', 'tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // the project's own TypeScript settings (noUnusedLocals, strict) already check these
      '@typescript-eslint/no-explicit-any': 'off',
      // the code base initialises variables before try blocks and rethrows with its own messages on purpose
      'no-useless-assignment': 'off',
      'preserve-caught-error': 'off',
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  // Layers: each imports only from those below it.
  {
    files: ['src/geometry/**'],
    rules: restrict(['^\\.\\./', 'geometry/ is pure maths: it imports nothing else of ours.'], REACT),
  },
  {
    files: ['src/runtime/**'],
    rules: restrict(
      [folder('state', 'kit', 'figures', 'essay', 'ui', 'loader'), 'runtime/ sits below the page: no state, kit or figures.'],
      REACT,
    ),
  },
  {
    files: ['src/tokenizer/**'],
    rules: restrict([folder('state', 'kit', 'figures', 'essay', 'ui', 'loader'), 'tokenizer/ sits below the page.'], REACT),
  },
  {
    files: ['src/state/**'],
    rules: restrict([folder('kit', 'figures', 'essay', 'ui', 'loader'), 'state/ sits below the kit, the figures and the chapters.']),
  },
  {
    files: ['src/kit/**'],
    rules: restrict([folder('figures', 'essay', 'ui', 'loader'), 'The kit is shared UI: it imports no figure and no chapter.']),
  },
  {
    files: ['src/figures/**'],
    rules: restrict(
      [folder('essay', 'ui', 'loader'), 'Figures import the kit, state and geometry, never the chapters.'],
      ['^\\.\\./[^./][^/]*/', 'A figure imports no other figure’s folder; move what they share to the kit.'],
      [folder('figures'), 'A figure imports no other figure’s folder; move what they share to the kit.'],
    ),
  },
  {
    files: ['tests/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-control-regex': 'off', 'prefer-const': 'off' },
  },
);
