import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  createJwks,
  generateSigningKeyPair,
  importPrivateJwk,
  jwsHash,
  signMessage,
  toPublicJwk,
  type Ed25519PrivateJwk,
  type Jwks,
  nowSeconds,
} from '#protocol';
import { ConflictError, ValidationError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { FederationKey, FederationKeyStatus } from './federation-key.entity.js';
import { KeySealer } from './key-encryption.js';

/** How long the current key is trusted in memory before it is read again (another instance may rotate). */
const CURRENT_KEY_CACHE_MS = 10_000;
/** Rotation statements outlive their activation by a year: a node offline longer must re-pin. */
const ROTATION_STATEMENT_TTL_SECONDS = 365 * 86_400;

/**
 * The federation's Ed25519 keys: one current key that signs, at most one next key announced by
 * a rotation statement (signed by the current key) until it activates, historical keys kept so
 * that what they signed stays verifiable. Made on first start, sealed at rest, rotatable.
 */
@Injectable()
export class FederationKeysService implements OnModuleInit {
  private readonly sealer: KeySealer;
  private cached: { key: Ed25519PrivateJwk; until: number } | undefined;

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
    if (this.cached && Date.now() < this.cached.until) return this.cached.key;
    const { key, nextActivatesAt } = await this.dataSource.transaction(async (m) => {
      // One instance at a time decides whether a key must be made or an announced one activates.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('concordia:federation_key'))`);
      await this.activateDue(m);
      const current = await this.currentKey(m);
      const next: { activates_at: Date }[] = await m.query(
        `SELECT activates_at FROM federation_key WHERE status = 'next'`,
      );
      return { key: current ?? (await this.makeCurrent(m)), nextActivatesAt: next[0]?.activates_at };
    });
    // Cached for a while, never past the activation of an announced key.
    const until = Math.min(Date.now() + CURRENT_KEY_CACHE_MS, nextActivatesAt?.getTime() ?? Infinity);
    this.cached = { key, until };
    return key;
  }

  /**
   * Rotation without re-pinning: makes the next key and announces it with a rotation statement
   * signed by the current key; it starts signing after `graceSeconds` (the current key becomes
   * historical then, still published, verifying what it signed). Nodes that pinned the current
   * key follow the statement to the new one. One rotation at a time.
   */
  async rotate(graceSeconds = this.config.keyRotationGraceSeconds): Promise<FederationKey> {
    if (!(Number.isInteger(graceSeconds) && graceSeconds >= 0)) {
      throw new ValidationError('graceSeconds', 'must be a whole number of seconds, 0 or more');
    }
    const kid = await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('concordia:federation_key'))`);
      await this.activateDue(m);
      const pending: { kid: string }[] = await m.query(
        `SELECT kid FROM federation_key WHERE status = 'next'`,
      );
      if (pending.length > 0) {
        throw new ConflictError(`key ${pending[0]!.kid} is already announced; it activates first`, {
          reason: 'ROTATION_IN_PROGRESS',
        });
      }
      const current = (await this.currentKey(m)) ?? (await this.makeCurrent(m));
      const pair = generateSigningKeyPair();
      const now = nowSeconds();
      const activatesAt = now + graceSeconds;
      const statement = signMessage(
        'federation-key-rotation',
        {
          iss: this.config.federationId,
          sub: this.config.federationId,
          iat: now,
          exp: activatesAt + ROTATION_STATEMENT_TTL_SECONDS,
          jwk: toPublicJwk(pair.publicJwk),
          previousKid: current.kid,
          activatesAt,
        },
        current,
      );
      await m.query(
        `INSERT INTO federation_key (kid, public_jwk, sealed_private_jwk, status, activates_at, rotation_statement)
         VALUES ($1, $2, $3, 'next', to_timestamp($4), $5)`,
        [
          pair.kid,
          JSON.stringify(toPublicJwk(pair.publicJwk)),
          this.sealer.seal(JSON.stringify(pair.privateJwk), pair.kid),
          activatesAt,
          statement,
        ],
      );
      await this.events.append(
        m,
        'federation.key-rotated',
        this.config.federationId,
        {
          kid: pair.kid,
          previousKid: current.kid,
          activatesAt,
          rotationHash: jwsHash(statement),
        },
        { signed: [statement] },
      );
      if (graceSeconds === 0) await this.activateDue(m);
      return pair.kid;
    });
    this.cached = undefined;
    return this.dataSource.getRepository(FederationKey).findOneByOrFail({ kid });
  }

  /** The rotation statements, oldest first (published with the entity statement). */
  async rotations(): Promise<string[]> {
    const rows: { rotation_statement: string }[] = await this.dataSource.query(
      `SELECT rotation_statement FROM federation_key WHERE rotation_statement IS NOT NULL ORDER BY created_at, kid`,
    );
    return rows.map((row) => row.rotation_statement);
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

  /** An announced key whose time has come becomes current; the current one becomes historical. */
  private async activateDue(m: EntityManager): Promise<void> {
    const due: { kid: string }[] = await m.query(
      `SELECT kid FROM federation_key WHERE status = 'next' AND activates_at <= now()`,
    );
    if (due.length === 0) return;
    await m.query(
      `UPDATE federation_key SET status = 'historical', retired_at = now() WHERE status = 'current'`,
    );
    await m.query(`UPDATE federation_key SET status = 'current' WHERE kid = $1`, [due[0]!.kid]);
    getLogger().info({ kid: due[0]!.kid }, 'announced federation key now signs');
  }

  private async currentKey(m: EntityManager): Promise<Ed25519PrivateJwk | undefined> {
    const current = await m
      .getRepository(FederationKey)
      .createQueryBuilder('k')
      .addSelect('k.sealedPrivateJwk')
      .where('k.status = :status', { status: FederationKeyStatus.CURRENT })
      .getOne();
    if (!current) return undefined;
    try {
      return importPrivateJwk(JSON.parse(this.sealer.open(current.sealedPrivateJwk, current.kid)), 'Ed25519');
    } catch (error) {
      if (this.config.env === 'production') {
        throw new Error('the current federation key cannot be unsealed: is KEY_ENCRYPTION_SECRET right?', {
          cause: error,
        });
      }
      getLogger().warn({ kid: current.kid }, 'federation key cannot be unsealed; making a new one');
      return undefined;
    }
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
