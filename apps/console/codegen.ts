import type { CodegenConfig } from '@graphql-codegen/cli';

const output = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown' },
  },
} as const;

/**
 * Typed operations from the committed schemas (`npm run codegen`; `codegen:check` fails when stale):
 * a node's screens from schema.graphql into src/gql, the federation operator's screens (src/operator)
 * from schema.federation.graphql into src/gql-federation. Both servers answer at /graphql.
 */
const config: CodegenConfig = {
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      ...output,
      schema: '../../schema.graphql',
      documents: ['src/**/*.{ts,tsx}', '!src/gql/**', '!src/gql-federation/**', '!src/operator/**'],
    },
    'src/gql-federation/': {
      ...output,
      schema: '../../schema.federation.graphql',
      documents: ['src/operator/**/*.{ts,tsx}'],
    },
  },
};
export default config;
