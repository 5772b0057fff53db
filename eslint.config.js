import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The walls between the rooms (docs/architecture.md), kept by lint: CI fails on a crossing.
const APPS_APART = {
  group: ['**/apps/*/**', '**/federation/src/**', '**/partner-node/src/**', '**/cli/src/**'],
  message:
    'Apps never import each other: what a node and the federation both speak lives in libs/federation-client, libs/platform or libs/protocol.',
};
const LIBS_BY_ALIAS = {
  group: ['**/libs/**'],
  message: 'Reach a library through its alias (#protocol, #platform/…, #segments…: package.json "imports").',
};
const NO_APPS_IN_LIBS = { group: ['**/apps/**'], message: 'Libraries never import apps.' };
// Except protocol's browser-safe WebCrypto checks, reached by file: its index pulls in node:crypto.
const LIBS_APART = {
  regex: '^\\.\\./\\.\\./(?!protocol/src/webcrypto/)[^/]+/src/',
  message: LIBS_BY_ALIAS.message,
};
// Pure libraries: plain functions over values, usable in the browser and in tests without services.
const IO_AND_FRAMEWORKS = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'pg-*',
  'ioredis',
  'bullmq',
  'express',
  'node:fs',
  'node:fs/*',
  'node:net',
  'node:http',
  'node:https',
  'node:child_process',
  'node:worker_threads',
].map((name) => ({ group: [name], message: 'Pure libraries import no Nest, no TypeORM, no I/O.' }));
const boundaries = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
      'apps/console/src/gql-federation/**',
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
    files: ['scripts/**', 'bench/**', 'apps/cli/**', 'apps/*/src/cli/**', 'libs/protocol/src/cli/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Production code of the two servers (tests may start a federation beside a node).
    files: ['apps/partner-node/**/*.ts', 'apps/federation/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: boundaries(APPS_APART, LIBS_BY_ALIAS),
  },
  {
    // The operator CLI is the one place that serves both apps.
    files: ['apps/cli/**/*.ts'],
    rules: boundaries(LIBS_BY_ALIAS),
  },
  {
    files: ['apps/console/**/*.{ts,tsx}'],
    rules: boundaries({
      group: ['**/partner-node/**', '**/apps/federation/**'],
      message: APPS_APART.message,
    }),
  },
  {
    files: ['libs/**/*.ts'],
    rules: boundaries(NO_APPS_IN_LIBS, LIBS_APART),
  },
  {
    files: [
      'libs/protocol/src/**/*.ts',
      'libs/segments/src/**/*.ts',
      'libs/matching/src/**/*.ts',
      'libs/compliance/src/**/*.ts',
      'libs/disclosure/src/**/*.ts',
    ],
    ignores: ['**/*.spec.ts', '**/testing/**', '**/cli/**'],
    rules: boundaries(NO_APPS_IN_LIBS, LIBS_APART, ...IO_AND_FRAMEWORKS),
  },
);
