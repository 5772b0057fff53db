import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { jwsHash, nowSeconds } from '#protocol';
import type { DirectoryEntry } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { DirectoryService } from './directory.service.js';
import { MemberKey, MemberKeyState, memberKeyState } from './member.entity.js';
import { checkSigningKey, seconds } from './membership-rules.js';
import { MembershipStatements } from './membership-statements.js';

/**
 * A member's key rotation (signed by the member): new keys added, keys left out of the set retire
 * after the grace period, revoked keys stop at once; a new statement is issued.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    private readonly keys: FederationKeysService,
    private readonly events: EventsService,
    private readonly intake: MessageIntake,
    private readonly statements: MembershipStatements,
    private readonly directory: DirectoryService,
  ) {}

  async rotateKeys(partnerId: string, jws: string, route: string): Promise<DirectoryEntry> {
    const signingKey = await this.keys.signingKey();
    await this.intake.accept('key-rotation', jws, { route }, async ({ claims }, m) => {
      if (claims.iss !== partnerId) {
        throw new RefusedMessageError('NOT_THE_MEMBER', 'a key rotation is signed by the member it rotates');
      }
      checkSigningKey(claims.jwks);
      const now = nowSeconds();
      const nowDate = new Date(now * 1000);
      const revoked = new Set(claims.revoked ?? []);
      const wanted = new Map(claims.jwks.keys.map((key) => [key.kid, key]));
      if ([...revoked].some((kid) => wanted.has(kid))) {
        throw new RefusedMessageError('INVALID_CLAIMS', 'a revoked key cannot stay in the key set');
      }
      await m.query(`SELECT 1 FROM member WHERE partner_id = $1 FOR UPDATE`, [partnerId]);
      const repo = m.getRepository(MemberKey);
      const known = await repo.findBy({ kid: In([...wanted.keys()]) });
      const added: string[] = [];
      for (const [kid, jwk] of wanted) {
        const row = known.find((k) => k.kid === kid);
        if (!row) {
          await repo.insert({ kid, partnerId, jwk, addedAt: nowDate });
          added.push(kid);
          continue;
        }
        const state = memberKeyState(row, nowDate);
        if (
          row.partnerId !== partnerId ||
          state === MemberKeyState.REVOKED ||
          state === MemberKeyState.HISTORICAL
        ) {
          throw new RefusedMessageError('KEY_IN_USE', `key ${kid} cannot be (re)announced`);
        }
        if (state === MemberKeyState.RETIRING) await repo.update({ kid }, { retiresAt: null });
      }
      const mine = await repo.findBy({ partnerId });
      const retiring: string[] = [];
      const revokedNow: string[] = [];
      const retireAt = new Date((now + this.config.keyRotationGraceSeconds) * 1000);
      for (const key of mine) {
        if (key.revokedAt) continue;
        if (revoked.has(key.kid)) {
          const retiresAt = key.retiresAt && key.retiresAt < nowDate ? key.retiresAt : nowDate;
          await repo.update({ kid: key.kid }, { revokedAt: nowDate, retiresAt });
          revokedNow.push(key.kid);
        } else if (!wanted.has(key.kid) && !key.retiresAt) {
          await repo.update({ kid: key.kid }, { retiresAt: retireAt });
          retiring.push(key.kid);
        }
      }
      const statement = await this.statements.issue(m, partnerId, signingKey, now);
      await this.events.append(
        m,
        'keys.rotated',
        partnerId,
        {
          added,
          retiring,
          retiresAt: seconds(retireAt),
          revoked: revokedNow,
          messageHash: jwsHash(jws),
          statementHash: jwsHash(statement),
        },
        { signed: [jws, statement] },
      );
    });
    return this.directory.entry(partnerId);
  }
}
