import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { parseStrictDateTime } from '../validation/text-safety.js';

function parse(value: unknown): Date {
  const date = typeof value === 'string' ? parseStrictDateTime(value) : undefined;
  if (!date) {
    // graphql-js prefixes the variable and the path (`at "input.occurredAt"`), naming the field.
    throw new GraphQLError('must be an existing ISO 8601 date-time such as 2025-03-01T14:30:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return date;
}

/**
 * The `DateTime` scalar of both APIs, in place of @nestjs/graphql's (`new Date(text)`, which turns
 * `2024-02-30` into 1 March): ISO 8601 only, days that exist, hours ≤ 23; a time without an offset
 * is UTC. Registered through `buildSchemaOptions.scalarsMap` for every `Date` field and argument.
 */
export const StrictDateTime = new GraphQLScalarType({
  name: 'DateTime',
  description:
    'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format. Impossible dates (2024-02-30) are refused.',
  parseValue: parse,
  serialize(value) {
    return value instanceof Date ? value.toISOString() : null;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('must be a date-time string', { nodes: [ast] });
    return parse(ast.value);
  },
});
