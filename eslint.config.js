import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '*.config.js',
      // The console's build output and its generated GraphQL types (npm run codegen).
      'apps/console/dist/**',
      'apps/console/src/gql/**',
      'apps/console/src/*/gql/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Command-line tools and benchmarks talk to a terminal.
    files: ['scripts/**', 'bench/**', 'apps/*/src/cli/**', 'libs/protocol/src/cli/**'],
    rules: { 'no-console': 'off' },
  },
);
