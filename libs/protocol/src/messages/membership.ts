import { z } from 'zod';
import {
  audienceSchema,
  base64urlHashSchema,
  distinct,
  endpointSchema,
  entityIdSchema,
  idSchema,
  jwksSchema,
  numericDateSchema,
  publicJwkSchema,
  registeredClaims,
} from './common.js';
import { MEMBERSHIP_STATUSES } from './vocabulary.js';

/**
 * Membership (invariant 2). A partner applies with a self-signed application; the federation
 * answers with membership statements, in the spirit of OpenID Federation entity statements: `iss`
 * the federation, `sub` the member, `jwks` the keys the federation vouches for. Statements are
 * short-lived, so a removed member's keys stop being vouched for at the next refresh, and a
 * directory that honours `status` stops them at once.
 */
export const membershipApplicationSchema = z
  .strictObject({
    ...registeredClaims,
    /** The federation applied to. */
    aud: entityIdSchema,
    /** The applying partner; equal to `iss` (self-signed). */
    sub: entityIdSchema,
    name: z.string().min(1).max(200),
    endpoint: endpointSchema,
    jwks: jwksSchema,
  })
  .refine((claims) => claims.sub === claims.iss, {
    message: 'an application is self-signed: sub = iss',
    path: ['sub'],
  });

export const membershipStatementSchema = z
  .strictObject({
    ...registeredClaims,
    aud: audienceSchema.optional(),
    /** The member the statement is about. */
    sub: entityIdSchema,
    name: z.string().min(1).max(200),
    endpoint: endpointSchema,
    status: z.enum(MEMBERSHIP_STATUSES),
    /** Keys vouched for; empty once the member is removed. */
    jwks: z.strictObject({ keys: z.array(publicJwkSchema) }),
    /**
     * Keys that left the key set, each with the time it retired: a message signed by one verifies
     * only if it was issued (`iat`) before `retiredAt`, so old signatures stay verifiable.
     */
    historicalKeys: z
      .array(z.strictObject({ jwk: publicJwkSchema, retiredAt: numericDateSchema }))
      .optional(),
  })
  .refine((claims) => claims.status !== 'removed' || claims.jwks.keys.length === 0, {
    message: 'a removed member has no keys',
    path: ['jwks'],
  })
  .refine(
    (claims) =>
      distinct([...claims.jwks.keys, ...(claims.historicalKeys ?? []).map((h) => h.jwk)].map((k) => k.kid)),
    { message: 'a key is listed twice (signing and historical)', path: ['historicalKeys'] },
  );

/**
 * Key rotation announcement: the member's new complete key set, signed under a key the federation
 * already vouches for (the header `kid` names it). The federation then issues a new statement.
 */
export const keyRotationSchema = z.strictObject({
  ...registeredClaims,
  aud: entityIdSchema,
  /** The full new key set; keys left out are retired. */
  jwks: jwksSchema,
  /** kids that must stop verifying now (compromise), rather than after the statement expires. */
  revoked: z.array(idSchema).optional(),
});

/**
 * The federation's own key rotation, signed by the key it replaces (header `kid` = `previousKid`):
 * a node that pinned the old key follows the chain of these statements to the new one, without
 * re-pinning by hand. The new key is announced a grace period ahead (`activatesAt`): nodes learn
 * it while the old key still signs, so nothing they verify is ever signed by a key they do not know.
 */
export const federationKeyRotationSchema = z
  .strictObject({
    ...registeredClaims,
    /** The federation itself (= iss). */
    sub: entityIdSchema,
    /** The next signing key. */
    jwk: publicJwkSchema,
    /** The key that signs this statement, which the new one replaces. */
    previousKid: base64urlHashSchema,
    /** When the new key starts signing; the previous one then verifies only what it signed before. */
    activatesAt: numericDateSchema,
  })
  .refine((claims) => claims.sub === claims.iss, {
    message: 'sub must be the federation (iss)',
    path: ['sub'],
  })
  .refine((claims) => claims.jwk.crv === 'Ed25519' && claims.jwk.kid !== claims.previousKid, {
    message: 'the new key is another Ed25519 key',
    path: ['jwk'],
  });

export type MembershipApplication = z.infer<typeof membershipApplicationSchema>;
export type FederationKeyRotation = z.infer<typeof federationKeyRotationSchema>;
export type MembershipStatement = z.infer<typeof membershipStatementSchema>;
export type KeyRotation = z.infer<typeof keyRotationSchema>;
