import { z } from 'zod';
import { importPublicJwk, type OkpPublicJwk } from '../keys.js';

/**
 * Building blocks shared by the message schemas. Every message is a strict object: a claim that
 * the schema does not know is refused, so that a message of one kind cannot pass for another and
 * nobody signs fields that verifiers would silently ignore.
 */

/** Partner and federation ids: lower-case slugs or UUIDs, stable and safe in URLs and logs. */
export const ENTITY_ID = /^[a-z0-9](?:[a-z0-9._-]{0,126}[a-z0-9])?$/u;
export const entityIdSchema = z.string().regex(ENTITY_ID, 'not an entity id');

/** Message and object ids (jti, consent id, agreement id…). */
export const ID = /^[A-Za-z0-9._:-]{8,128}$/u;
export const idSchema = z.string().regex(ID, 'not an id');

export const numericDateSchema = z.int().min(0);

export const audienceSchema = z.union([entityIdSchema, z.array(entityIdSchema).min(1)]);

export const BASE64URL_HASH = /^[A-Za-z0-9_-]{43}$/u;
export const base64urlHashSchema = z.string().regex(BASE64URL_HASH, 'not a base64url SHA-256');

export const subjectTokenSchema = base64urlHashSchema;

/** http(s) endpoints; http is allowed for the embedded single-machine network. */
export const endpointSchema = z.url({ protocol: /^https?$/u });

export const publicJwkSchema = z.custom<OkpPublicJwk>((value) => {
  try {
    const imported = importPublicJwk(value);
    return (value as { kid?: unknown }).kid === imported.kid;
  } catch {
    return false;
  }
}, 'not a public OKP JWK named by its thumbprint');

export const jwksSchema = z.strictObject({
  keys: z
    .array(publicJwkSchema)
    .min(1)
    .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'duplicate key'),
});

/** Registered claims present in every message. */
export const registeredClaims = {
  iss: entityIdSchema,
  iat: numericDateSchema,
  nbf: numericDateSchema.optional(),
  exp: numericDateSchema,
  jti: idSchema,
};

export function distinct<T>(items: readonly T[]): boolean {
  return new Set(items).size === items.length;
}
