import type { CodegenConfig } from '@graphql-codegen/cli';

const clientConfig = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { DateTime: 'string', JSON: 'unknown' },
  },
} as const;

// Typed operations from the committed root schema.graphql (`npm run codegen`; `codegen:check` fails when stale).
// An area with many operations gets its own generated client (`src/<area>/gql`): the client preset's
// `graphql()` keeps a map of every document it knows, and the shared one is in the first load.
const AREAS_WITH_OWN_CLIENT = ['marketing'];

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      ...clientConfig,
      documents: [
        'src/**/*.{ts,tsx}',
        '!src/gql/**',
        ...AREAS_WITH_OWN_CLIENT.map((area) => `!src/${area}/**`),
      ],
    },
    ...Object.fromEntries(
      AREAS_WITH_OWN_CLIENT.map((area) => [
        `src/${area}/gql/`,
        { ...clientConfig, documents: [`src/${area}/**/*.{ts,tsx}`, `!src/${area}/gql/**`] },
      ]),
    ),
  },
};
export default config;
