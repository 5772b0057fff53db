import { Field, ID, InputType } from '@nestjs/graphql';
import { IsOptional, IsUUID } from 'class-validator';
import type { EntityManager } from 'typeorm';
import type { RelationshipKind } from '#protocol';
import { ValidationError } from '#platform/errors/app-errors';

@InputType({
  description:
    "Why an agent reads a customer's shared history: exactly one of the customer's care cases (open, or " +
    'closed recently) or recent interactions. It travels to the partners as an opaque reference.',
})
export class SharedHistoryReasonInput {
  @Field(() => ID, { nullable: true, description: 'A care case of this customer.' })
  @IsOptional()
  @IsUUID()
  careCaseId?: string;

  @Field(() => ID, { nullable: true, description: 'An interaction with this customer.' })
  @IsOptional()
  @IsUUID()
  interactionId?: string;
}

/** A reason checked against the customer: what a history request says of it. */
export interface PullReason {
  kind: RelationshipKind;
  id: string;
  startedAt: Date;
  customerCreatedAt: Date;
}

/**
 * Checks that `reason` names exactly one care case or interaction of this customer that is still a
 * reason to read its shared history: a case not closed/resolved more than `windowDays` ago, an
 * interaction that occurred (or was recorded) within `windowDays`. BAD_USER_INPUT naming `reason`
 * otherwise, with the same message whether the record is unknown or another customer's.
 */
export async function checkPullReason(
  m: EntityManager,
  customerId: string,
  reason: SharedHistoryReasonInput | null | undefined,
  windowDays: number,
): Promise<PullReason> {
  const given = [reason?.careCaseId, reason?.interactionId].filter((id) => id !== undefined && id !== null);
  if (given.length !== 1) {
    throw new ValidationError('reason', 'give exactly one of careCaseId, interactionId', {
      reason: 'REASON_REQUIRED',
    });
  }
  const kind: RelationshipKind = reason!.careCaseId ? 'care-case' : 'interaction';
  const id = given[0]!;
  const rows: { started_at: Date; recent: boolean; customer_created_at: Date }[] = await m.query(
    kind === 'care-case'
      ? `SELECT r.created_at AS started_at, c.created_at AS customer_created_at,
                (r.status IN ('open','pending')
                  OR coalesce(r.closed_at, r.resolved_at, r.updated_at) > now() - make_interval(days => $3)) AS recent
           FROM care_case r JOIN customer c ON c.id = r.customer_id
          WHERE r.id = $1 AND r.customer_id = $2 AND c.deleted_at IS NULL`
      : `SELECT r.created_at AS started_at, c.created_at AS customer_created_at,
                greatest(r.occurred_at, r.created_at) > now() - make_interval(days => $3) AS recent
           FROM interaction r JOIN customer c ON c.id = r.customer_id
          WHERE r.id = $1 AND r.customer_id = $2 AND c.deleted_at IS NULL`,
    [id, customerId, windowDays],
  );
  const row = rows[0];
  if (!row) {
    throw new ValidationError('reason', `no ${kind} ${id} of this customer`, { reason: 'REASON_UNKNOWN' });
  }
  if (!row.recent) {
    throw new ValidationError('reason', `${kind} ${id} is closed or older than ${windowDays} days`, {
      reason: 'REASON_STALE',
    });
  }
  return { kind, id, startedAt: row.started_at, customerCreatedAt: row.customer_created_at };
}
