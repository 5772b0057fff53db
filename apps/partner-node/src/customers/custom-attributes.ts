import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Partner-defined fields of a customer: a flat object of string, number or boolean values. */
export type CustomAttributes = Record<string, string | number | boolean>;

export const MAX_ATTRIBUTES_BYTES = 8192;
export const MAX_ATTRIBUTE_KEYS = 100;
export const MAX_ATTRIBUTE_KEY_LENGTH = 64;
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a value is not acceptable custom attributes, or undefined when it is. */
export function customAttributesProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be an object of string, number or boolean values';
  const entries = Object.entries(value);
  if (entries.length > MAX_ATTRIBUTE_KEYS) return `must have at most ${MAX_ATTRIBUTE_KEYS} keys`;
  for (const [key, item] of entries) {
    if (key.length > MAX_ATTRIBUTE_KEY_LENGTH || !KEY.test(key)) {
      return `key "${key.slice(0, MAX_ATTRIBUTE_KEY_LENGTH)}" must be 1-${MAX_ATTRIBUTE_KEY_LENGTH} letters, digits, _ . or -, starting with a letter or _`;
    }
    const ok =
      typeof item === 'string' ||
      typeof item === 'boolean' ||
      (typeof item === 'number' && Number.isFinite(item));
    if (!ok) return `value of "${key}" must be a string, a finite number or a boolean`;
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_ATTRIBUTES_BYTES) {
    return `must be at most ${MAX_ATTRIBUTES_BYTES} bytes as JSON`;
  }
  return undefined;
}

export function IsCustomAttributes(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCustomAttributes',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => customAttributesProblem(value) === undefined,
        defaultMessage: (args) => `${args?.property ?? 'attributes'} ${customAttributesProblem(args?.value)}`,
      },
    });
}

/**
 * A JSON object scalar for custom attributes. It only checks that the value is an object; the
 * flat-values and size rules are checked by `@IsCustomAttributes` so the error names the field.
 */
export const CustomAttributesScalar = new GraphQLScalarType({
  name: 'CustomAttributes',
  description: 'A flat JSON object of string, number or boolean values (at most 8 KB).',
  serialize: (value) => value,
  parseValue: (value) => {
    if (!isPlainObject(value)) throw new GraphQLError('CustomAttributes must be a JSON object');
    return value;
  },
  parseLiteral: (ast, variables) => {
    if (ast.kind !== Kind.OBJECT) throw new GraphQLError('CustomAttributes must be a JSON object');
    return valueFromASTUntyped(ast, variables);
  },
});
