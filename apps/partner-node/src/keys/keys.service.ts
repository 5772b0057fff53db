import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import {
  createJwks,
  deriveSharedKey,
  generateAgreementKeyPair,
  generateSigningKeyPair,
  importPrivateJwk,
  signMessage,
  signMessageOffThread,
  toPublicJwk,
  verifyMessage,
  type Ed25519PrivateJwk,
  type Jwks,
  type KeyPair,
  type MessageExpectations,
  type MessageInput,
  type MessageKind,
  type NoteSigner,
  type OkpCurve,
  type OkpPrivateJwk,
  type OkpPublicJwk,
  type VerifiedMessage,
  type X25519PrivateJwk,
  type X25519PublicJwk,
} from '#protocol';
import type { RequestSigner } from '#federation-client';
import { ConflictError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeySealer } from './key-sealer.js';
import { KeyStatus, KeyUse, NodeKey } from './node-key.entity.js';

const CURVE: Record<KeyUse, OkpCurve> = { [KeyUse.SIGNING]: 'Ed25519', [KeyUse.AGREEMENT]: 'X25519' };

/**
 * The node's active keys as read by one statement (`KeysService.activeKeys`): what a call that
 * signs several messages and derives several pseudonym keys uses throughout, instead of reading
 * the active key again at each signature. Read fresh per call, never kept across calls: a rotation
 * (made by any instance of the node) is followed by the next call.
 */
export interface ActiveKeys {
  signingKid: string;
  agreementKid: string;
  /** `KeysService.sign` with the key read. */
  sign<K extends MessageKind>(kind: K, claims: MessageInput<K>): string;
  /** The same JWS, signed on libuv's threadpool. */
  signOffThread<K extends MessageKind>(kind: K, claims: MessageInput<K>): Promise<string>;
  /** `KeysService.sharedSecret` with the agreement key read. */
  sharedSecret(theirs: X25519PublicJwk, info: string): Uint8Array;
}

/** Shared secrets kept (a bound: the node has a few agreements per partner, not thousands). */
const DERIVED_MAX = 1024;

/** Keys of a rotation that the federation has not accepted yet (stored as pending). */
export interface PendingRotation {
  newKids: string[];
  retiringKids: string[];
}

/** A rotation prepared but not yet accepted by the federation: the new keys are stored as pending. */
export interface PreparedRotation extends PendingRotation {
  /** The node's complete new key set. */
  jwks: Jwks;
  /** Signs the `key-rotation` announcement under the key that is active now (the old one). */
  signAnnouncement(claims: MessageInput<'key-rotation'>): string;
}

/**
 * The node's keys: an Ed25519 signing key and an X25519 agreement key, created on first start,
 * stored sealed (AES-256-GCM under KEY_ENCRYPTION_SECRET), rotated by kid. Private keys stay in
 * this service: others ask it to sign, to derive a shared secret, or for a federation request signer.
 * Nothing here logs key material; ids (kids) only.
 */
@Injectable()
export class KeysService implements OnApplicationBootstrap {
  private readonly logger = getLogger().child({ context: 'keys' });
  private readonly sealer: KeySealer;
  /** Opened private keys, by kid (active and pending ones). */
  private readonly opened = new Map<string, OkpPrivateJwk>();
  /**
   * Shared secrets derived (X25519 + HKDF), by own kid, their key and info: a pure function of
   * those, so an entry never outlives its inputs' validity (a rotated key has another kid, and
   * which keys are current is read by each call). Memory only, never stored or logged.
   */
  private readonly derived = new Map<string, Uint8Array>();
  private ready: Promise<void> | undefined;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.sealer = new KeySealer(config.keyEncryption.secret);
  }

  async onApplicationBootstrap(): Promise<void> {
    // The CLI boots without migrations for `migrate`: keys are then made on first use instead.
    const [row] = (await this.dataSource.query(`SELECT to_regclass('node_key') IS NOT NULL AS present`)) as {
      present: boolean;
    }[];
    if (!row?.present) return;
    if (this.config.keyEncryption.isEphemeral) {
      this.logger.warn(
        'KEY_ENCRYPTION_SECRET is not set: node keys are sealed under a random secret that dies with the process',
      );
      // Keys sealed by an earlier process cannot be opened: they are replaced on first use only,
      // so that a process that never signs (a CLI command) leaves them alone.
      const existing = await this.dataSource.getRepository(NodeKey).existsBy({ status: KeyStatus.ACTIVE });
      if (existing) return;
    }
    await this.ensureKeys();
  }

  /** Creates the missing active keys and opens the active ones (once per process). */
  ensureKeys(): Promise<void> {
    this.ready ??= this.loadOrCreate().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async loadOrCreate(): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('node_key'))`);
      for (const use of [KeyUse.SIGNING, KeyUse.AGREEMENT]) {
        const row = await m
          .getRepository(NodeKey)
          .createQueryBuilder('k')
          .addSelect('k.sealedPrivateKey')
          .where('k.use = :use AND k.status = :status', { use, status: KeyStatus.ACTIVE })
          .getOne();
        if (row) {
          try {
            this.opened.set(row.kid, this.openRow(row));
            continue;
          } catch {
            if (!this.config.keyEncryption.isEphemeral) {
              throw new Error(
                `The active ${use} key ${row.kid} cannot be opened: KEY_ENCRYPTION_SECRET is not the one that sealed it`,
              );
            }
            // Development without a secret: the previous process's keys are unreadable. Keep their
            // public halves (they still verify old signatures) and start over.
            this.logger.warn(
              { kid: row.kid, use },
              'sealed key unreadable with the ephemeral secret; retired, a new one is made (re-apply to the federation)',
            );
            await m.update(NodeKey, { kid: row.kid }, { status: KeyStatus.RETIRED, retiredAt: new Date() });
          }
        }
        const pair = generate(use);
        await this.insert(m, pair, use, KeyStatus.ACTIVE);
        this.opened.set(pair.kid, pair.privateJwk);
        this.logger.info({ kid: pair.kid, use }, 'node key created');
      }
    });
  }

  private openRow(row: NodeKey): OkpPrivateJwk {
    const text = this.sealer.open(row.sealedPrivateKey, row.kid);
    const jwk = importPrivateJwk(JSON.parse(text), CURVE[row.use]);
    if (jwk.kid !== row.kid) throw new Error('sealed key does not match its row');
    return jwk;
  }

  private async insert(
    m: EntityManager,
    pair: KeyPair<OkpCurve>,
    use: KeyUse,
    status: KeyStatus,
  ): Promise<void> {
    await m.insert(NodeKey, {
      kid: pair.kid,
      use,
      publicJwk: toPublicJwk(pair.publicJwk),
      sealedPrivateKey: this.sealer.seal(JSON.stringify(pair.privateJwk), pair.kid),
      status,
      activatedAt: status === KeyStatus.ACTIVE ? new Date() : null,
    });
  }

  /**
   * The active private key of a use. Read from the database each time (one indexed row), so that a
   * rotation made by another instance of the node is followed at once; opened keys are cached.
   * Inside a transaction, pass its manager: on the embedded database (one connection) a read
   * through the data source would wait for that transaction to end.
   */
  private async active(
    use: KeyUse,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OkpPrivateJwk> {
    await this.ensureKeys();
    const repo = manager.getRepository(NodeKey);
    const row = await repo.findOne({ where: { use, status: KeyStatus.ACTIVE }, select: { kid: true } });
    if (!row) throw new Error(`no active ${use} key`);
    return this.openedKey(repo, row.kid);
  }

  /** The private key `kid`, from the process's cache of opened keys or opened from its sealed row. */
  private async openedKey(repo: Repository<NodeKey>, kid: string): Promise<OkpPrivateJwk> {
    let jwk = this.opened.get(kid);
    if (!jwk) {
      const full = await repo
        .createQueryBuilder('k')
        .addSelect('k.sealedPrivateKey')
        .where('k.kid = :kid', { kid })
        .getOneOrFail();
      jwk = this.openRow(full);
      this.opened.set(kid, jwk);
    }
    return jwk;
  }

  /**
   * Both active private keys in one statement (what `active` reads per use), opened (from the
   * process's cache of opened keys, by kid, or from their sealed rows).
   */
  async activeKeys(manager: EntityManager = this.dataSource.manager): Promise<ActiveKeys> {
    await this.ensureKeys();
    const repo = manager.getRepository(NodeKey);
    const rows = await repo.find({ where: { status: KeyStatus.ACTIVE }, select: { kid: true, use: true } });
    const of = async (use: KeyUse): Promise<OkpPrivateJwk> => {
      const row = rows.find((r) => r.use === use);
      if (!row) throw new Error(`no active ${use} key`);
      return this.openedKey(repo, row.kid);
    };
    const signing = (await of(KeyUse.SIGNING)) as Ed25519PrivateJwk;
    const agreement = (await of(KeyUse.AGREEMENT)) as X25519PrivateJwk;
    return {
      signingKid: signing.kid,
      agreementKid: agreement.kid,
      sign: (kind, claims) => signMessage(kind, claims, signing),
      signOffThread: (kind, claims) => signMessageOffThread(kind, claims, signing),
      sharedSecret: (theirs, info) => this.derive(agreement, theirs, info),
    };
  }

  /** deriveSharedKey, kept by its inputs (see `derived`). */
  private derive(own: X25519PrivateJwk, theirs: X25519PublicJwk, info: string): Uint8Array {
    const key = JSON.stringify([own.kid, own.crv, own.x, theirs.kid ?? null, theirs.crv, theirs.x, info]);
    const found = this.derived.get(key);
    if (found) return found;
    const secret = deriveSharedKey(own, theirs, info);
    if (this.derived.size >= DERIVED_MAX) this.derived.clear();
    this.derived.set(key, secret);
    return secret;
  }

  // ---- what other modules use ------------------------------------------------------------------

  /** Signs a protocol message with the active signing key (read with `manager` in a transaction). */
  async sign<K extends MessageKind>(
    kind: K,
    claims: MessageInput<K>,
    manager?: EntityManager,
  ): Promise<string> {
    return signMessage(kind, claims, (await this.active(KeyUse.SIGNING, manager)) as Ed25519PrivateJwk);
  }

  /**
   * A signer bound to the active signing key, read once: for a batch that signs many messages
   * (each output the same as `sign` would give).
   */
  async signer(
    manager?: EntityManager,
  ): Promise<<K extends MessageKind>(kind: K, claims: MessageInput<K>) => string> {
    const key = (await this.active(KeyUse.SIGNING, manager)) as Ed25519PrivateJwk;
    return (kind, claims) => signMessage(kind, claims, key);
  }

  /**
   * `signer` whose signatures are computed on libuv's threadpool (the same JWS): a batch awaits
   * many together and signs on every core, the event loop free meanwhile.
   */
  async signerOffThread(
    manager?: EntityManager,
  ): Promise<<K extends MessageKind>(kind: K, claims: MessageInput<K>) => Promise<string>> {
    const key = (await this.active(KeyUse.SIGNING, manager)) as Ed25519PrivateJwk;
    return (kind, claims) => signMessageOffThread(kind, claims, key);
  }

  /**
   * Signs this node's ledger checkpoints (C2SP signed notes, under `name`) with the active signing
   * key: the key the federation publishes in its JWKS, so that a verifier pins it there.
   */
  async noteSigner(name: string): Promise<NoteSigner> {
    return { name, privateJwk: (await this.active(KeyUse.SIGNING)) as Ed25519PrivateJwk };
  }

  /** X25519(own active agreement key, theirs) + HKDF-SHA256 with this info; see pseudonymKeyInfo. */
  async sharedSecret(theirs: X25519PublicJwk, info: string): Promise<Uint8Array> {
    return this.derive((await this.active(KeyUse.AGREEMENT)) as X25519PrivateJwk, theirs, info);
  }

  /** Signs the federation's request tokens (authenticated reads) with the active signing key. */
  async requestSigner(): Promise<RequestSigner> {
    return {
      partnerId: this.config.partnerId,
      signingKey: (await this.active(KeyUse.SIGNING)) as Ed25519PrivateJwk,
    };
  }

  async activeKid(use: KeyUse): Promise<string> {
    return (await this.active(use)).kid;
  }

  /** The active public keys: what the node announces (application, rotation). */
  async jwks(): Promise<Jwks> {
    await this.ensureKeys();
    const rows = await this.dataSource
      .getRepository(NodeKey)
      .find({ where: { status: KeyStatus.ACTIVE }, order: { use: 'DESC' } });
    return createJwks(rows.map((r) => r.publicJwk));
  }

  /** Active and retired public keys: everything that verifies what this node ever signed. */
  async allPublicKeys(): Promise<Jwks> {
    await this.ensureKeys();
    const rows = await this.dataSource
      .getRepository(NodeKey)
      .find({ where: { status: In([KeyStatus.ACTIVE, KeyStatus.RETIRED]) }, order: { createdAt: 'ASC' } });
    return createJwks(rows.map((r) => r.publicJwk));
  }

  /** Verifies a message this node signed, under any of its active or retired keys. */
  async verifyOwn<K extends MessageKind>(
    kind: K,
    jws: string,
    expectations: MessageExpectations,
  ): Promise<VerifiedMessage<K>> {
    const keys = await this.allPublicKeys();
    return verifyMessage(
      kind,
      jws,
      (kid, { issuer }) =>
        issuer === this.config.partnerId ? keys.keys.find((k) => k.kid === kid) : undefined,
      expectations,
    );
  }

  list(): Promise<NodeKey[]> {
    return this.dataSource.getRepository(NodeKey).find({ order: { createdAt: 'DESC', kid: 'ASC' } });
  }

  // ---- rotation (orchestrated by the network module) --------------------------------------------

  /**
   * Makes a new signing key (and a new agreement key when asked) and stores them as pending. The
   * announcement is signed under the signing key active now, which the federation already vouches for.
   */
  async prepareRotation(options: { agreementKey: boolean }): Promise<PreparedRotation> {
    await this.ensureKeys();
    const uses = options.agreementKey ? [KeyUse.SIGNING, KeyUse.AGREEMENT] : [KeyUse.SIGNING];
    const pairs = uses.map((use) => ({ use, pair: generate(use) }));
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('node_key'))`);
      const pending = await m.getRepository(NodeKey).existsBy({ status: KeyStatus.PENDING });
      if (pending) {
        throw new ConflictError('A key rotation is already waiting for the federation', {
          reason: 'ROTATION_IN_PROGRESS',
        });
      }
      for (const { use, pair } of pairs) await this.insert(m, pair, use, KeyStatus.PENDING);
    });
    for (const { pair } of pairs) this.opened.set(pair.kid, pair.privateJwk);
    const oldSigning = (await this.active(KeyUse.SIGNING)) as Ed25519PrivateJwk;
    const next: OkpPublicJwk[] = [];
    const retiringKids: string[] = [];
    for (const use of [KeyUse.SIGNING, KeyUse.AGREEMENT]) {
      const fresh = pairs.find((p) => p.use === use);
      const current = await this.active(use);
      if (fresh) retiringKids.push(current.kid);
      next.push(fresh ? fresh.pair.publicJwk : toPublicJwk(current));
    }
    return {
      newKids: pairs.map((p) => p.pair.kid),
      retiringKids,
      jwks: createJwks(next),
      signAnnouncement: (claims) => signMessage('key-rotation', claims, oldSigning),
    };
  }

  /** A rotation left pending by an earlier attempt (e.g. the federation did not answer), if any. */
  async pendingRotation(): Promise<PendingRotation | undefined> {
    const repo = this.dataSource.getRepository(NodeKey);
    const pending = await repo.findBy({ status: KeyStatus.PENDING });
    if (pending.length === 0) return undefined;
    const active = await repo.findBy({ status: KeyStatus.ACTIVE, use: In(pending.map((k) => k.use)) });
    return { newKids: pending.map((k) => k.kid), retiringKids: active.map((k) => k.kid) };
  }

  /** The federation accepted: pending keys become active, the ones they replace retire. */
  async completeRotation(rotation: PendingRotation): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('node_key'))`);
      const fresh = await m.getRepository(NodeKey).findBy({ kid: In(rotation.newKids) });
      const now = new Date();
      await m.update(
        NodeKey,
        { use: In(fresh.map((k) => k.use)), status: KeyStatus.ACTIVE },
        { status: KeyStatus.RETIRED, retiredAt: now },
      );
      await m.update(NodeKey, { kid: In(rotation.newKids) }, { status: KeyStatus.ACTIVE, activatedAt: now });
    });
    for (const kid of rotation.retiringKids) this.opened.delete(kid);
    // Not needed for correctness (entries are by kid), but nothing derived from a retired key stays.
    this.derived.clear();
    this.logger.info({ added: rotation.newKids, retired: rotation.retiringKids }, 'node keys rotated');
  }

  /** The rotation failed before the federation accepted it: the pending keys are dropped. */
  async abandonRotation(rotation: PendingRotation): Promise<void> {
    await this.dataSource
      .getRepository(NodeKey)
      .delete({ kid: In(rotation.newKids), status: KeyStatus.PENDING });
    for (const kid of rotation.newKids) this.opened.delete(kid);
  }
}

function generate(use: KeyUse): KeyPair<OkpCurve> {
  return use === KeyUse.SIGNING ? generateSigningKeyPair() : generateAgreementKeyPair();
}
