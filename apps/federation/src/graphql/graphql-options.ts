import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLSchema } from 'graphql';
import { formatGraphQLError } from '#platform/errors/error-mapping';
import { queryLimitsPlugin } from '#platform/graphql/query-limits';
import { StrictDateTime } from '#platform/graphql/strict-date-time.scalar';
import type { FederationConfig } from '../config.js';

/** The operators' GraphQL API (Apollo, code first); the protocol itself is plain HTTP. */
export function graphqlOptions(config: FederationConfig): ApolloDriverConfig {
  let schema: GraphQLSchema | undefined;
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Guards also run on @ResolveField methods, so nested fields check roles too.
    fieldResolverEnhancers: ['guards'],
    graphiql: config.env !== 'production',
    // In production the schema is not handed to strangers: no introspection, no "did you mean…".
    introspection: config.env !== 'production',
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    allowBatchedHttpRequests: false,
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: StrictDateTime }] },
    includeStacktraceInErrorResponses: false,
    transformSchema: (built) => {
      schema = built;
      return built;
    },
    context: ({ req }: { req: unknown }) => ({ req }),
    formatError: formatGraphQLError,
    plugins: [
      queryLimitsPlugin(
        () => {
          if (!schema) throw new Error('schema not built yet');
          return schema;
        },
        { maxDepth: 10, maxComplexity: 20000 },
      ),
    ],
  };
}
