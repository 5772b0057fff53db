import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { ValidationError } from '../errors/app-errors.js';

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
 * `input.lines[2].quantity: must not be less than 1`. Unknown properties are refused.
 */
export function edgeValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
