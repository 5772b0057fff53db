import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ProtocolError, decryptJwe, importPrivateJwk, type X25519PrivateJwk } from '#protocol';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeySealer } from '../keys/key-sealer.js';

/**
 * Decrypts JWEs addressed to this node's X25519 agreement key (active or retired, by the JWE's kid).
 *
 * TODO(keys): KeysService keeps private keys to itself and offers no decryption yet; this opens
 * the sealed key the same way it does. Replace with `KeysService.decryptJwe(jwe, { typ })` once
 * the keys module offers it (asked for in the report), and delete this file.
 */
@Injectable()
export class NodeDecryptor {
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
      const rows: { sealed_private_key: string }[] = await this.dataSource.query(
        `SELECT sealed_private_key FROM node_key WHERE kid = $1 AND use = 'agreement' AND status IN ('active','retired')`,
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
