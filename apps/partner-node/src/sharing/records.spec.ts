import { describe, expect, it } from '@jest/globals';
import { shareRecordSchema } from '#protocol';
import {
  CATEGORY_OF_KIND,
  describeShared,
  parseRecordId,
  shareRecordOf,
  type LocalRecord,
} from './records.js';
import { SharedRecordKind } from './sharing.entities.js';

describe('shared records (pure mapping)', () => {
  const local: LocalRecord = {
    kind: SharedRecordKind.CARE_CASE,
    id: '0b9d1c1e-8d7a-4c55-9a8e-0c1c2f3b4d5e',
    customerId: '1b9d1c1e-8d7a-4c55-9a8e-0c1c2f3b4d5e',
    data: {
      kind: 'care_case',
      occurredAt: '2025-01-01T00:00:00.000Z',
      subject: 'Refund',
      status: 'open',
      priority: 'high',
    },
  };

  it('a share record names its kind in its id, its category from its kind, and passes the protocol schema', () => {
    const record = shareRecordOf(local, 'consent-0001', 'A'.repeat(43));
    expect(record).toMatchObject({
      recordId: `care_case:${local.id}`,
      category: 'care-history',
      consentId: 'consent-0001',
    });
    expect(shareRecordSchema.safeParse(record).success).toBe(true);
    expect(parseRecordId(record.recordId)).toEqual({ kind: SharedRecordKind.CARE_CASE, id: local.id });
    // The customer's own id at the origin never travels.
    expect(JSON.stringify(record)).not.toContain(local.customerId);
  });

  it('categories: interactions and care cases are care history, orders are orders', () => {
    expect(CATEGORY_OF_KIND).toEqual({
      interaction: 'care-history',
      care_case: 'care-history',
      order: 'orders',
    });
  });

  it('refuses record ids that are not kind:uuid', () => {
    for (const bad of [
      'care_case:1',
      'lead:0b9d1c1e-8d7a-4c55-9a8e-0c1c2f3b4d5e',
      'order-0b9d1c1e-8d7a-4c55-9a8e-0c1c2f3b4d5e',
    ]) {
      expect(parseRecordId(bad)).toBeUndefined();
    }
  });

  it('titles and summaries as the timeline shows them', () => {
    expect(describeShared(SharedRecordKind.CARE_CASE, local.data)).toEqual({
      title: 'Refund',
      summary: 'OPEN, HIGH priority',
    });
    expect(
      describeShared(SharedRecordKind.ORDER, {
        number: 'A-1',
        status: 'paid',
        total: '10.00',
        currency: 'EUR',
      }),
    ).toEqual({
      title: 'Order A-1',
      summary: 'PAID, 10.00 EUR',
    });
    expect(
      describeShared(SharedRecordKind.INTERACTION, { channel: 'phone', direction: 'inbound' }).title,
    ).toBe('PHONE INBOUND');
  });
});
