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

/**
 * Typed operations from the committed schemas (`npm run codegen`; `codegen:check` fails when stale).
 * A node's screens are typed from schema.graphql, the federation operator's (src/operator) from
 * schema.federation.graphql into src/gql-federation; both servers answer at /graphql.
 *
 * An area with many operations gets its own generated client (`src/<area>/gql`): the client preset's
 * `graphql()` keeps a map of every document it knows, and the shared one (src/gql, the desk's) is in
 * the first load.
 */
const AREAS_WITH_OWN_CLIENT = ['marketing', 'compliance', 'admin'];

const config: CodegenConfig = {
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      ...clientConfig,
      schema: '../../schema.graphql',
      documents: [
        'src/**/*.{ts,tsx}',
        '!src/gql/**',
        '!src/gql-federation/**',
        '!src/operator/**',
        ...AREAS_WITH_OWN_CLIENT.map((area) => `!src/${area}/**`),
      ],
    },
    'src/gql-federation/': {
      ...clientConfig,
      schema: '../../schema.federation.graphql',
      documents: ['src/operator/**/*.{ts,tsx}'],
    },
    ...Object.fromEntries(
      AREAS_WITH_OWN_CLIENT.map((area) => [
        `src/${area}/gql/`,
        {
          ...clientConfig,
          schema: '../../schema.graphql',
          documents: [`src/${area}/**/*.{ts,tsx}`, `!src/${area}/gql/**`],
        },
      ]),
    ),
  },
};
export default config;
