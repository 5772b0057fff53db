import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { ProtocolError, decryptJwe, importPrivateJwk, type X25519PrivateJwk } from '#protocol';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { AGREEMENT_KEY_QUERIES } from './agreement-keys.queries.js';
import { KeySealer } from './key-sealer.js';

/**
 * Decrypts JWEs addressed to this node's X25519 agreement key (active or retired, by the JWE's kid):
 * the sealed key is read by its named query (agreement-keys.queries.ts), opened as KeysService
 * opens it, and kept open for the process. The sharing module opens received envelopes with it.
 */
@Injectable()
export class AgreementKeyDecryptor {
  private readonly sealer: KeySealer;
  private readonly opened = new Map<string, X25519PrivateJwk>();

  constructor(
    @Inject(PARTNER_NODE_CONFIG) config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.sealer = new KeySealer(config.keyEncryption.secret);
  }

  async decrypt(jwe: string, typ: string): Promise<Uint8Array> {
    let kid: unknown;
    try {
      kid = (
        JSON.parse(Buffer.from(jwe.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown }
      ).kid;
    } catch {
      throw new ProtocolError('MALFORMED', 'the JWE header is not JSON');
    }
    if (typeof kid !== 'string') throw new ProtocolError('UNKNOWN_KEY', 'the JWE names no key');
    let key = this.opened.get(kid);
    if (!key) {
      const rows = await runNamed<{ sealed_private_key: string }, 'sealedAgreementKey'>(
        this.dataSource,
        AGREEMENT_KEY_QUERIES,
        'sealedAgreementKey',
        [kid],
      );
      if (!rows[0])
        throw new ProtocolError('UNKNOWN_KEY', 'the JWE is addressed to a key this node does not hold');
      key = importPrivateJwk(
        JSON.parse(this.sealer.open(rows[0].sealed_private_key, kid)),
        'X25519',
      ) as X25519PrivateJwk;
      this.opened.set(kid, key);
    }
    return decryptJwe(jwe, key, { typ });
  }
}
