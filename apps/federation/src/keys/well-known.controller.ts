import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { signJwt, type Jwks, nowSeconds } from '#protocol';
import {
  ENTITY_STATEMENT_TYP,
  FEDERATION_PATHS,
  type EntityStatementClaims,
  type EntityStatementResponse,
} from '#federation-client';
import { Public } from '#platform/auth/allow.decorator';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { FederationKeysService } from './federation-keys.service.js';

/**
 * The federation's self-signed entity statement, its key set (next, current and historical keys)
 * and the key-rotation statements by which nodes follow a rotation from the key they pinned.
 */
@Controller('.well-known')
@Public()
export class WellKnownController {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    private readonly keys: FederationKeysService,
  ) {}

  @Get('concordia-federation')
  async entityStatement(@Req() req: Request): Promise<EntityStatementResponse> {
    const signingKey = await this.keys.signingKey();
    const { jwks, keys } = await this.keys.jwks();
    const base = this.config.publicUrl ?? `${req.protocol}://${this.listeningHost(req)}`;
    const iat = nowSeconds();
    const claims: EntityStatementClaims = {
      iss: this.config.federationId,
      sub: this.config.federationId,
      iat,
      exp: iat + this.config.entityStatementTtlSeconds,
      jti: randomUUID(),
      jwks,
      keys: keys.map((k) => ({
        kid: k.kid,
        status: k.status,
        createdAt: Math.floor(k.createdAt.getTime() / 1000),
        ...(k.activatesAt ? { activatesAt: Math.floor(k.activatesAt.getTime() / 1000) } : {}),
        ...(k.retiredAt ? { retiredAt: Math.floor(k.retiredAt.getTime() / 1000) } : {}),
      })),
      endpoints: {
        jwks: `${base}${FEDERATION_PATHS.jwks}`,
        members: `${base}${FEDERATION_PATHS.members}`,
        applications: `${base}${FEDERATION_PATHS.applications}`,
        agreements: `${base}${FEDERATION_PATHS.agreements}`,
        consents: `${base}${FEDERATION_PATHS.consents}`,
        consentCheck: `${base}${FEDERATION_PATHS.consentCheck}`,
      },
    };
    const statement = signJwt(ENTITY_STATEMENT_TYP, claims, signingKey);
    return {
      statement,
      federationId: claims.iss,
      jwks,
      keys: claims.keys,
      endpoints: claims.endpoints,
      rotations: await this.keys.rotations(),
    };
  }

  @Get('jwks.json')
  async jwks(): Promise<Jwks> {
    return (await this.keys.jwks()).jwks;
  }

  /** The address this server listens on (never the client-supplied Host header). */
  private listeningHost(req: Request): string {
    const address = req.socket.address() as { address?: string; port?: number };
    const host = address.address?.includes(':') ? `[${address.address}]` : address.address;
    return `${host ?? this.config.host}:${address.port ?? this.config.port}`;
  }
}
