import { describe, expect, it } from '@jest/globals';
import {
  DAY,
  REQUEST_CHARS,
  REQUEST_ITEMS,
  byPairShuffled,
  dayGridValidity,
  receiptCommitment,
  registrationClaims,
  requestsOf,
  type DueRow,
} from './consent-registration-batches.js';
import { DataCategory, Purpose } from '../agreements/agreement.enums.js';

const row = (i: number, recipient = 'bank'): DueRow => ({
  registration_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  consent_id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  recipient,
  agreement_id: `agreement-${recipient}`,
});

describe('consent registration batches (pure)', () => {
  it('cuts a pair into requests of at most REQUEST_ITEMS registrations and REQUEST_CHARS characters', () => {
    const rows = Array.from({ length: REQUEST_ITEMS + 3 }, (_, i) => row(i));
    const small = requestsOf(
      rows,
      rows.map(() => 'x'.repeat(10)),
    );
    expect(small.map((r) => r.rows.length)).toEqual([REQUEST_ITEMS, 3]);
    const big = Math.floor(REQUEST_CHARS / 3);
    const heavy = requestsOf(
      rows.slice(0, 7),
      rows.slice(0, 7).map(() => 'x'.repeat(big)),
    );
    expect(heavy.every((r) => r.jwss.reduce((n, j) => n + j.length, 0) <= REQUEST_CHARS)).toBe(true);
    expect(heavy.flatMap((r) => r.rows)).toEqual(rows.slice(0, 7));
  });

  it('groups by agreement pair, every row once', () => {
    const rows = [row(1, 'bank'), row(2, 'telco'), row(3, 'bank'), row(4, 'telco'), row(5, 'bank')];
    const groups = byPairShuffled([...rows]);
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(new Set(group.map((r) => r.recipient)).size).toBe(1);
    expect(
      groups
        .flat()
        .map((r) => r.registration_id)
        .sort(),
    ).toEqual(rows.map((r) => r.registration_id).sort());
  });

  it('puts validity on a whole-day grid, never wider than the consent', () => {
    const now = 1_760_000_000;
    const today = Math.floor(now / DAY) * DAY;
    expect(dayGridValidity(now, now + 30 * DAY + 5, now)).toEqual({
      validFrom: today,
      validUntil: Math.floor((now + 30 * DAY + 5) / DAY) * DAY,
    });
    // Shorter than the grid allows: the exact end is kept.
    expect(dayGridValidity(now, now + 60, now)).toEqual({ validFrom: today, validUntil: now + 60 });
  });

  it('names only the tokens under its own agreement, with a salted commitment to the receipt', () => {
    const now = 1_760_000_000;
    const claims = registrationClaims(
      row(1, 'bank'),
      {
        receipt_jws: 'a.b.c',
        purposes: [Purpose.CUSTOMER_CARE],
        categories: [DataCategory.ORDERS],
        subject_tokens: [
          { kind: 'email' as const, token: 't-bank', keyId: 'agreement-bank' },
          { kind: 'email' as const, token: 't-telco', keyId: 'agreement-telco' },
        ],
        valid_from: new Date(now * 1000),
        valid_until: new Date((now + 90 * DAY) * 1000),
        commitment_salt: 'salt',
      },
      { partnerId: 'shop', federationId: 'net', iat: now, now },
    );
    expect(claims).toMatchObject({
      iss: 'shop',
      controller: 'shop',
      aud: 'net',
      recipient: 'bank',
      agreementId: 'agreement-bank',
      subjectTokens: [{ kind: 'email' as const, token: 't-bank', keyId: 'agreement-bank' }],
      receiptCommitment: receiptCommitment('salt', 'a.b.c'),
    });
    expect(receiptCommitment('other salt', 'a.b.c')).not.toBe(claims.receiptCommitment);
  });
});
