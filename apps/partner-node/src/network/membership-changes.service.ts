import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { nowSeconds } from '#protocol';
import type { DirectoryEntry, FederationClient } from '#federation-client';
import { ConflictError, RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { KeysService } from '../keys/keys.service.js';
import { fromFederation, isUnavailable } from './federation-errors.js';
import { MembershipStatus, NetworkMembership } from './network.entities.js';
import { NetworkService } from './network.service.js';
import { RefusalsService } from './refusals.service.js';

/** Lifetime of a membership application and of a key-rotation announcement. */
const APPLICATION_TTL_SECONDS = 86_400;
const ROTATION_TTL_SECONDS = 300;

export interface KeyRotationOutcome {
  announced: boolean;
  newKids: string[];
  retiredKids: string[];
}

/**
 * This node's own changes at the federation: its membership application (self-signed) and the
 * rotation of its keys, announced to the federation when the node is a member.
 */
@Injectable()
export class MembershipChangesService {
  private readonly logger = getLogger().child({ context: 'network' });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly refusals: RefusalsService,
  ) {}

  /** Sends the self-signed application (id = PARTNER_ID, name, endpoint, the node's JWKS). */
  async apply(input: { name: string; endpoint: string }): Promise<NetworkMembership> {
    const current = await this.network.membershipRow();
    if (
      current &&
      [MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED].includes(current.status)
    ) {
      throw new ConflictError(`This node is already ${current.status} at the federation`, {
        reason: current.status === MembershipStatus.PENDING ? 'APPLICATION_PENDING' : 'ALREADY_MEMBER',
      });
    }
    if (await this.keys.pendingRotation()) {
      throw new ConflictError('Finish the pending key rotation first (rotateKeys)', {
        reason: 'ROTATION_IN_PROGRESS',
      });
    }
    const anchor = await this.network.trustAnchor();
    const now = nowSeconds();
    const application = await this.keys.sign('membership-application', {
      iss: this.network.partnerId,
      sub: this.network.partnerId,
      aud: anchor.federationId,
      iat: now,
      exp: now + APPLICATION_TTL_SECONDS,
      name: input.name,
      endpoint: input.endpoint,
      jwks: await this.keys.jwks(),
    });
    let response: Awaited<ReturnType<FederationClient['apply']>>;
    try {
      response = await this.network.client().apply(application);
    } catch (error) {
      throw fromFederation(error, 'the membership application');
    }
    await this.dataSource.getRepository(NetworkMembership).update(
      { singleton: true },
      {
        status: MembershipStatus.PENDING,
        name: input.name,
        endpoint: input.endpoint,
        applicationId: response.applicationId,
        applicationJws: application,
        appliedAt: new Date(response.submittedAt * 1000),
        membershipStatement: null,
        validUntil: null,
      },
    );
    this.logger.info({ applicationId: response.applicationId }, 'membership application sent');
    return (await this.network.membershipRow()) as NetworkMembership;
  }

  /**
   * Rotates the signing key (and the agreement key when asked): the new keys are stored pending,
   * announced to the federation in a key-rotation signed under the old key, then activated; the
   * old ones are kept as retired, so that what they signed still verifies. Rotating the agreement
   * key changes the pseudonym keys of every agreement: consents registered before keep their tokens.
   */
  async rotateKeys(options: { agreementKey: boolean }): Promise<KeyRotationOutcome> {
    const row = await this.network.membershipRow();
    const status = row?.status ?? MembershipStatus.NOT_APPLIED;
    if (status === MembershipStatus.PENDING) {
      throw new ConflictError('The membership application is pending: rotate after it is decided', {
        reason: 'APPLICATION_PENDING',
      });
    }
    const member = status === MembershipStatus.ACTIVE || status === MembershipStatus.SUSPENDED;
    await this.resumePendingRotation(member);
    const rotation = await this.keys.prepareRotation(options);
    if (!member) {
      await this.keys.completeRotation(rotation);
      return { announced: false, newKids: rotation.newKids, retiredKids: rotation.retiringKids };
    }
    const anchor = await this.network.trustAnchor();
    const now = nowSeconds();
    const announcement = rotation.signAnnouncement({
      iss: this.network.partnerId,
      aud: anchor.federationId,
      iat: now,
      exp: now + ROTATION_TTL_SECONDS,
      jwks: rotation.jwks,
    });
    let entry: DirectoryEntry;
    try {
      entry = await this.network.client().rotateKeys(this.network.partnerId, announcement);
    } catch (error) {
      // No answer: the federation may have taken it; the next rotateKeys finds out and finishes.
      if (!isUnavailable(error)) await this.keys.abandonRotation(rotation);
      throw fromFederation(error, 'the key rotation');
    }
    try {
      await this.network.verifyEntry(entry, anchor);
    } catch (error) {
      throw await this.refusals.refuse(error, 'membership-statement', 'key-rotation', entry.statement);
    }
    const listed = new Set(entry.keys.filter((k) => k.state === 'current').map((k) => k.kid));
    if (!rotation.newKids.every((kid) => listed.has(kid))) {
      throw await this.refusals.refuse(
        new RefusedMessageError('STATEMENT_MISMATCH', 'the federation did not take the new keys'),
        'membership-statement',
        'key-rotation',
        entry.statement,
      );
    }
    await this.keys.completeRotation(rotation);
    await this.network.refreshDirectory().catch((error: unknown) => {
      this.logger.warn({ err: String(error) }, 'directory refresh after rotation failed');
    });
    return { announced: true, newKids: rotation.newKids, retiredKids: rotation.retiringKids };
  }

  /** Finishes or drops a rotation whose announcement got no answer. */
  private async resumePendingRotation(member: boolean): Promise<void> {
    const pending = await this.keys.pendingRotation();
    if (!pending) return;
    if (!member) {
      await this.keys.abandonRotation(pending);
      return;
    }
    let entry: DirectoryEntry;
    try {
      entry = await this.network.client().member(this.network.partnerId);
    } catch (error) {
      throw fromFederation(error, 'the membership entry');
    }
    await this.network.verifyEntry(entry, await this.network.trustAnchor()).catch(async (error: unknown) => {
      throw await this.refusals.refuse(error, 'membership-statement', 'key-rotation', entry.statement);
    });
    const listed = new Set(entry.keys.filter((k) => k.state === 'current').map((k) => k.kid));
    if (pending.newKids.every((kid) => listed.has(kid))) await this.keys.completeRotation(pending);
    else await this.keys.abandonRotation(pending);
  }
}
