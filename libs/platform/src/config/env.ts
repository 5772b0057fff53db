import { z } from 'zod';
import { ConfigError } from '../errors/app-errors.js';

/**
 * Reads configuration from the environment through a zod schema and reports every missing or
 * wrong value at once, naming the variable, so that a misconfigured process fails at start.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  /** Rules across variables, checked on the raw environment so they are reported with the rest. */
  crossChecks: (env: NodeJS.ProcessEnv) => string[] = () => [],
): z.infer<S> {
  const result = schema.safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  problems.push(...crossChecks(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as z.infer<S>;
}

/** Helpers for common variable shapes. Empty strings count as unset. */
const unsetIfEmpty = (v: unknown): unknown => (v === '' ? undefined : v);

export const env = {
  port: (fallback: number) =>
    z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(65535).default(fallback)),
  url: (protocols: string[]) =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .refine(
          (value) => {
            try {
              return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
            } catch {
              return false;
            }
          },
          `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
        )
        .optional(),
    ),
  string: () => z.preprocess(unsetIfEmpty, z.string().optional()),
  /** A Redis key prefix for a process's queues (`{…}` hash-tags it for Redis Cluster). */
  redisPrefix: () =>
    z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(/^[A-Za-z0-9:{}_.-]{1,100}$/, 'must be 1-100 letters, digits or : { } _ . -')
        .optional(),
    ),
  secret: (minLength: number) =>
    z.preprocess(
      unsetIfEmpty,
      z.string().min(minLength, `must be at least ${minLength} characters long`).optional(),
    ),
  /** A whole number of at least `min` (and at most `max`, when given); `fallback` when unset. */
  integer: (fallback: number, min: number, max?: { value: number; message: string }) => {
    const atLeast = z.coerce.number().int().min(min, `must be a whole number ≥ ${min}`);
    return z.preprocess(
      unsetIfEmpty,
      (max ? atLeast.max(max.value, max.message) : atLeast).default(fallback),
    );
  },
  duration: (fallbackSeconds: number) =>
    z.preprocess(unsetIfEmpty, z.coerce.number().int().positive().default(fallbackSeconds)),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
    z.preprocess(unsetIfEmpty, z.enum(values).default(fallback as never)) as unknown as z.ZodType<T[number]>,
};
