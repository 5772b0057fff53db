import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';

/**
 * Any JSON value, for documents whose shape is defined outside GraphQL (the customer export).
 * Output only in practice; input literals are accepted as plain JSON.
 */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables)),
});
