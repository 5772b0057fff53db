import type { MessageClaims } from '#protocol';
import type { ConsentBatchItem } from '#federation-client';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';

/** A registration's claims (one controller, one recipient, one agreement). */
export type RegistrationClaims = MessageClaims<'consent-registration'>;

/** What a registration is checked against: read for the whole batch, one statement of each owner. */
export interface RegistrationFacts {
  /** Registration ids already registered (grows as the batch is checked: a repeated id is refused). */
  taken: Set<string>;
  /** Recipients in good standing. */
  members: ReadonlySet<string>;
  /** The (controller, recipient, agreement) triples whose agreement lets the controller share now (`tripleKey`). */
  liveAgreements: ReadonlySet<string>;
}

/** One key for a (controller, recipient, agreement) triple. */
export const tripleKey = (controller: string, recipient: string, agreementId: string): string =>
  `${controller}\u0000${recipient}\u0000${agreementId}`;

/** The distinct (controller, recipient, agreement) triples of some registrations, in first-seen order. */
export function distinctTriples(
  claims: readonly RegistrationClaims[],
): { controller: string; recipient: string; agreementId: string }[] {
  return [
    ...new Map(claims.map((c) => [tripleKey(c.controller, c.recipient, c.agreementId), c])).values(),
  ].map(({ controller, recipient, agreementId }) => ({ controller, recipient, agreementId }));
}

/**
 * Why a registration is refused, or undefined when it may be stored: already registered (in the
 * registry or earlier in the batch), recipient not in good standing, or no agreement in force that
 * lets the controller share with the recipient. Marks its id as taken.
 */
export function registrationRefusal(
  claims: RegistrationClaims,
  facts: RegistrationFacts,
): AppError | undefined {
  const { registrationId, controller, recipient, agreementId } = claims;
  if (facts.taken.has(registrationId)) {
    return new RefusedMessageError('CONSENT_EXISTS', `registration ${registrationId} is already registered`);
  }
  facts.taken.add(registrationId);
  if (!facts.members.has(recipient)) {
    return new RefusedMessageError('PARTY_NOT_MEMBER', `recipient ${recipient} is not an active member`);
  }
  if (!facts.liveAgreements.has(tripleKey(controller, recipient, agreementId))) {
    return new RefusedMessageError(
      'AGREEMENT_NOT_ACTIVE',
      `agreement ${agreementId} does not let ${controller} share with ${recipient}`,
    );
  }
  return undefined;
}

/**
 * A batch item for a refused message: its reason and message, and the registration id its JWS names
 * (unverified, cut to 200 characters) when it names one.
 */
export function refusedItem(error: AppError, claimedId: unknown): ConsentBatchItem {
  const reason = error instanceof RefusedMessageError ? error.reason : error.code;
  return {
    consentId: typeof claimedId === 'string' ? claimedId.slice(0, 200) : null,
    status: 'refused',
    reason,
    message: error.message,
  };
}
