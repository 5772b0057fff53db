import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  createJwks,
  generateSigningKeyPair,
  importPrivateJwk,
  toPublicJwk,
  type Ed25519PrivateJwk,
  type Jwks,
} from '#protocol';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { FederationKey, FederationKeyStatus } from './federation-key.entity.js';
import { KeySealer } from './key-encryption.js';

/** How long the current key is trusted in memory before it is read again (another instance may rotate). */
const CURRENT_KEY_CACHE_MS = 10_000;

/**
 * The federation's Ed25519 keys: one current key that signs, historical keys kept so that what
 * they signed stays verifiable. Made on first start, sealed at rest, rotatable.
 */
@Injectable()
export class FederationKeysService implements OnModuleInit {
  private readonly sealer: KeySealer;
  private cached: { key: Ed25519PrivateJwk; at: number } | undefined;

  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {
    this.sealer = new KeySealer(config.keyEncryption.secret);
  }

  async onModuleInit(): Promise<void> {
    if (this.config.keyEncryption.isEphemeral) {
      getLogger().warn(
        'KEY_ENCRYPTION_SECRET is not set: the federation keys are sealed under a random secret and a restart makes new ones',
      );
    }
    await this.signingKey();
  }

  /** The private key that signs now; made (or replaced, outside production, if unreadable) when needed. */
  async signingKey(): Promise<Ed25519PrivateJwk> {
    if (this.cached && Date.now() - this.cached.at < CURRENT_KEY_CACHE_MS) return this.cached.key;
    const key = await this.dataSource.transaction(async (m) => {
      // One instance at a time decides whether a key must be made.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('concordia:federation_key'))`);
      const current = await m
        .getRepository(FederationKey)
        .createQueryBuilder('k')
        .addSelect('k.sealedPrivateJwk')
        .where('k.status = :status', { status: FederationKeyStatus.CURRENT })
        .getOne();
      if (current) {
        try {
          return importPrivateJwk(
            JSON.parse(this.sealer.open(current.sealedPrivateJwk, current.kid)),
            'Ed25519',
          );
        } catch (error) {
          if (this.config.env === 'production') {
            throw new Error(
              'the current federation key cannot be unsealed: is KEY_ENCRYPTION_SECRET right?',
              {
                cause: error,
              },
            );
          }
          getLogger().warn({ kid: current.kid }, 'federation key cannot be unsealed; making a new one');
        }
      }
      return this.makeCurrent(m);
    });
    this.cached = { key: key as Ed25519PrivateJwk, at: Date.now() };
    return key as Ed25519PrivateJwk;
  }

  /** Makes a new current key; the old one becomes historical (still listed, never signs again). */
  async rotate(): Promise<FederationKey> {
    const key = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('concordia:federation_key'))`);
      const made = await this.makeCurrent(m);
      await this.events.append(m, 'federation.key-rotated', this.config.federationId, { kid: made.kid });
      return made;
    });
    this.cached = { key, at: Date.now() };
    return this.dataSource.getRepository(FederationKey).findOneByOrFail({ kid: key.kid });
  }

  list(): Promise<FederationKey[]> {
    return this.dataSource.getRepository(FederationKey).find({ order: { createdAt: 'DESC', kid: 'ASC' } });
  }

  /** Every key that verifies the federation's signatures, current first. */
  async jwks(): Promise<{ jwks: Jwks; keys: FederationKey[] }> {
    const keys = await this.list();
    keys.sort((a, b) => (a.status === b.status ? 0 : a.status === FederationKeyStatus.CURRENT ? -1 : 1));
    return { jwks: createJwks(keys.map((k) => k.publicJwk)), keys };
  }

  private async makeCurrent(m: EntityManager): Promise<Ed25519PrivateJwk> {
    const pair = generateSigningKeyPair();
    await m.query(
      `UPDATE federation_key SET status = 'historical', retired_at = now() WHERE status = 'current'`,
    );
    await m.query(
      `INSERT INTO federation_key (kid, public_jwk, sealed_private_jwk, status) VALUES ($1, $2, $3, 'current')`,
      [
        pair.kid,
        JSON.stringify(toPublicJwk(pair.publicJwk)),
        this.sealer.seal(JSON.stringify(pair.privateJwk), pair.kid),
      ],
    );
    getLogger().info({ kid: pair.kid }, 'federation signing key made');
    return pair.privateJwk;
  }
}
