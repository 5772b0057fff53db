import { describe, expect, it } from '@jest/globals';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';
import {
  distinctTriples,
  refusedItem,
  registrationRefusal,
  tripleKey,
  type RegistrationClaims,
} from './consent-checks.js';

const claims = (over: Partial<RegistrationClaims> = {}): RegistrationClaims =>
  ({
    registrationId: 'r1',
    controller: 'alpha',
    recipient: 'beta',
    agreementId: 'ag1',
    ...over,
  }) as RegistrationClaims;

const facts = (): { taken: Set<string>; members: Set<string>; liveAgreements: Set<string> } => ({
  taken: new Set<string>(),
  members: new Set(['beta']),
  liveAgreements: new Set([tripleKey('alpha', 'beta', 'ag1')]),
});

const reasonOf = (error: AppError | undefined): string | undefined =>
  error instanceof RefusedMessageError ? error.reason : error?.code;

describe('registrationRefusal', () => {
  it('accepts a new registration to a member under a live agreement, and marks its id taken', () => {
    const f = facts();
    expect(registrationRefusal(claims(), f)).toBeUndefined();
    expect(f.taken.has('r1')).toBe(true);
  });

  it('refuses an id already registered, or repeated in the batch', () => {
    const f = facts();
    f.taken.add('r0');
    expect(reasonOf(registrationRefusal(claims({ registrationId: 'r0' }), f))).toBe('CONSENT_EXISTS');
    expect(registrationRefusal(claims(), f)).toBeUndefined();
    const again = registrationRefusal(claims(), f);
    expect(reasonOf(again)).toBe('CONSENT_EXISTS');
    expect(again?.message).toBe('registration r1 is already registered');
  });

  it('refuses a recipient not in good standing before looking at the agreement', () => {
    const f = facts();
    const error = registrationRefusal(claims({ recipient: 'gamma', agreementId: 'none' }), f);
    expect(reasonOf(error)).toBe('PARTY_NOT_MEMBER');
    expect(error?.message).toBe('recipient gamma is not an active member');
  });

  it('refuses when the agreement does not let this controller share with this recipient', () => {
    const f = facts();
    f.members.add('alpha');
    const reversed = registrationRefusal(claims({ controller: 'beta', recipient: 'alpha' }), f);
    expect(reasonOf(reversed)).toBe('AGREEMENT_NOT_ACTIVE');
    expect(reversed?.message).toBe('agreement ag1 does not let beta share with alpha');
    expect(reasonOf(registrationRefusal(claims({ registrationId: 'r2', agreementId: 'ag2' }), f))).toBe(
      'AGREEMENT_NOT_ACTIVE',
    );
  });
});

describe('distinctTriples', () => {
  it('keeps each (controller, recipient, agreement) once, in first-seen order', () => {
    expect(
      distinctTriples([
        claims(),
        claims({ registrationId: 'r2' }),
        claims({ registrationId: 'r3', agreementId: 'ag2' }),
      ]),
    ).toEqual([
      { controller: 'alpha', recipient: 'beta', agreementId: 'ag1' },
      { controller: 'alpha', recipient: 'beta', agreementId: 'ag2' },
    ]);
  });

  it('does not confuse triples whose parts would run together', () => {
    expect(tripleKey('ab', 'c', 'd')).not.toBe(tripleKey('a', 'bc', 'd'));
  });
});

describe('refusedItem', () => {
  it('names the refusal reason and the claimed id, cut to 200 characters', () => {
    const item = refusedItem(new RefusedMessageError('CONSENT_EXISTS', 'taken'), 'x'.repeat(300));
    expect(item).toEqual({
      consentId: 'x'.repeat(200),
      status: 'refused',
      reason: 'CONSENT_EXISTS',
      message: 'taken',
    });
  });

  it('has no id when the message names none', () => {
    expect(refusedItem(new RefusedMessageError('UNKNOWN_CONSENT', 'bad'), undefined).consentId).toBeNull();
  });
});
