import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { canonicalize } from '#protocol';

export type FederationEventType =
  | 'membership.admitted'
  | 'membership.rejected'
  | 'membership.suspended'
  | 'membership.reinstated'
  | 'membership.renewed'
  | 'keys.rotated'
  | 'federation.key-rotated'
  | 'agreement.proposed'
  | 'agreement.accepted'
  | 'agreement.activated'
  | 'agreement.terminated'
  | 'consent.registered'
  | 'consent.withdrawn'
  | 'merge.proposed'
  | 'merge.accepted'
  | 'merge.manifest'
  | 'merge.result';

/**
 * Appends to federation_event, in the caller's transaction, so an event exists exactly when its
 * change does. Bodies name ids, kids and message hashes (`jwsHash`), never personal data.
 */
@Injectable()
export class EventsService {
  async append(
    m: EntityManager,
    type: FederationEventType,
    subject: string,
    body: Record<string, unknown>,
    at: number = Math.floor(Date.now() / 1000),
  ): Promise<void> {
    const canonical = canonicalize({ ...body, type, subject, at });
    await m.query(
      `INSERT INTO federation_event (type, subject, canonical, occurred_at) VALUES ($1, $2, $3, to_timestamp($4))`,
      [type, subject, canonical, at],
    );
  }
}
