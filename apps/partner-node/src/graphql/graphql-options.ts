import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloDriver } from '@nestjs/apollo';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { formatGraphQLError } from '#platform/errors/error-mapping';
import { queryLimitsPlugin } from '#platform/graphql/query-limits';
import { StrictDateTime } from '#platform/graphql/strict-date-time.scalar';
import type { PartnerNodeConfig } from '../config.js';

/**
 * Apollo through @nestjs/graphql, code first. The schema is built in memory from the resolvers;
 * `npm run schema` writes it to schema.graphql, and CI checks that the file is current.
 */
export function graphqlOptions(config: PartnerNodeConfig): ApolloDriverConfig {
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
      // Apollo's cache-control plugin hooks every resolved field (willResolveField, which also
      // wraps every resolver of the schema) to compute HTTP cache hints that no field declares;
      // inline traces are for Apollo Studio, which the node never reports to.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      queryLimitsPlugin(
        () => {
          if (!schema) throw new Error('schema not built yet');
          return schema;
        },
        { maxDepth: config.graphql.maxDepth, maxComplexity: config.graphql.maxComplexity },
      ),
    ],
  };
}
