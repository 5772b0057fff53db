import {
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError as ClassValidatorError,
} from '@nestjs/common';
import { ValidationError } from '../errors/app-errors.js';
import { identifierProblem, isIdentifierField, isPlainAscii, unsafeCharacterProblem } from './text-safety.js';

/** Deepest nesting of objects and lists accepted in one argument (rules need about 14). */
export const MAX_INPUT_DEPTH = 32;
/** Keys that would reach an object's prototype once copied onto a plain object. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The checks every argument passes before its own rules, whatever its type (scalars, JSON
 * scalars, input objects): strings are normalised to NFC and may not hold control characters
 * (nor invisible ones in names, e-mails and external ids); objects may not nest deeper than
 * MAX_INPUT_DEPTH nor carry prototype keys. Returns the normalised value.
 */
export function screenInput(value: unknown, path: string, key = path, depth = 0): unknown {
  if (typeof value === 'string') {
    // Printable ASCII: nothing to refuse and already NFC (a batch's JWSs, most ids and names).
    if (isPlainAscii(value)) return value;
    const problem = isIdentifierField(key) ? identifierProblem(value) : unsafeCharacterProblem(value);
    if (problem) throw new ValidationError(path, problem);
    return value.normalize('NFC');
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (depth >= MAX_INPUT_DEPTH)
    throw new ValidationError(path, `nests deeper than ${MAX_INPUT_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = screenInput(value[i], `${path}[${i}]`, key, depth + 1);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const at = `${path}.${name}`;
    if (PROTOTYPE_KEYS.has(name)) throw new ValidationError(at, 'is a reserved name');
    const nameProblem = unsafeCharacterProblem(name);
    if (nameProblem) throw new ValidationError(path, `has a key that ${nameProblem}`);
    record[name] = screenInput(record[name], at, name, depth + 1);
  }
  return value;
}

class EdgeValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') value = screenInput(value, metadata.data ?? 'input');
    return super.transform(value, metadata);
  }
}

function firstProblem(
  errors: ClassValidatorError[],
  prefix = '',
): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    if (error.constraints) {
      const message = Object.values(error.constraints)[0];
      return { field, message };
    }
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Validates every GraphQL input and HTTP body at the edge (class-validator decorators on the input
 * classes) and reports the first problem as a ValidationError naming the field path, e.g.
 * `input.lines[2].quantity: must not be less than 1`. Unknown properties are refused. Every
 * argument is screened first (`screenInput`).
 */
export function edgeValidationPipe(): ValidationPipe {
  return new EdgeValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors) ?? { field: 'input', message: 'is not valid' };
      // class-validator messages start with the property name; keep only the rule.
      const rule = problem.message.replace(/^\S+\s/, '');
      return new ValidationError(problem.field, rule);
    },
  });
}
