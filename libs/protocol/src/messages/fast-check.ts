import { ENTITY_ID, ID } from './common.js';

/**
 * Building blocks of the fast validators: hand-written twins of hot message schemas (the consent
 * receipt) that answer in a fraction of zod's time. A fast validator either returns exactly what
 * the zod schema's safeParse returns as `data`, or `undefined`, which means "ask zod": the zod
 * schema stays the source of truth for every refusal and its message. It may therefore defer on
 * anything unusual (class instances, explicit `undefined`, inherited members) but must never
 * accept what zod refuses; messages/fast-check.spec.ts proves this by differential testing.
 */

/** The object itself if zod's strictObject could take it (plain, only known keys); else undefined. */
export function plainStrictObject(
  value: unknown,
  keys: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  // for…in, as zod enumerates: an inherited enumerable member counts as an unknown key.
  for (const key in value) if (!keys.has(key)) return undefined;
  return value as Record<string, unknown>;
}

/** An optional member: absent (ok), present with a value; explicitly `undefined` defers to zod. */
export function isAbsent(object: Record<string, unknown>, key: string, value: unknown): boolean {
  return value === undefined && !(key in object);
}

export function isString(value: unknown, pattern: RegExp): value is string {
  return typeof value === 'string' && pattern.test(value);
}

export const isEntityId = (value: unknown): value is string => isString(value, ENTITY_ID);
export const isId = (value: unknown): value is string => isString(value, ID);

/** z.int().min(0): a safe integer, not below zero (-0 included, as zod takes it). */
export function isNumericDate(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * A copy of a non-empty array whose every item passes `isItem`, optionally without duplicates
 * (z.array(item).min(1), with .refine(distinct)); undefined otherwise.
 */
export function copyArray<T>(
  value: unknown,
  isItem: (item: unknown) => item is T,
  distinct = false,
): T[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const copy = new Array<T>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (!isItem(item)) return undefined;
    copy[i] = item;
  }
  if (distinct && new Set(copy).size !== copy.length) return undefined;
  return copy;
}

/** z.enum(values) as a predicate. */
export function oneOf<T extends string>(values: readonly T[]): (value: unknown) => value is T {
  const set = new Set<unknown>(values);
  return (value: unknown): value is T => set.has(value);
}

/** audienceSchema: an entity id, or a non-empty array of them (copied, as zod does). */
export function copyAudience(value: unknown): string | string[] | undefined {
  return typeof value === 'string' ? (isEntityId(value) ? value : undefined) : copyArray(value, isEntityId);
}
