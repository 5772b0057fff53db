import { registerEnumType } from '@nestjs/graphql';
import {
  DATA_CATEGORIES,
  MERGE_BUCKET_ATTRIBUTES,
  PURPOSES,
  type DataCategory as ProtocolCategory,
  type Purpose as ProtocolPurpose,
} from '#protocol';

/** Purposes of the protocol vocabulary (aligned with W3C DPV: dpv:CustomerCare, dpv:Marketing, dpv:ServiceOptimisation). */
export enum Purpose {
  CUSTOMER_CARE = 'customer-care',
  MARKETING = 'marketing',
  ANALYTICS = 'analytics',
}
registerEnumType(Purpose, {
  name: 'Purpose',
  description:
    'customer care (dpv:CustomerCare), marketing (dpv:Marketing), analytics (dpv:ServiceOptimisation)',
});

/** Categories of shared data (DPV personal-data categories in exports). */
export enum DataCategory {
  CONTACT = 'contact',
  ORDERS = 'orders',
  CARE_HISTORY = 'care-history',
  SEGMENT_MEMBERSHIP = 'segment-membership',
}
registerEnumType(DataCategory, { name: 'DataCategory' });

/** Seen from this node: who shares with whom. */
export enum AgreementDirection {
  /** Both parties share. */
  MUTUAL = 'mutual',
  /** This node shares with the partner. */
  OUTBOUND = 'outbound',
  /** The partner shares with this node. */
  INBOUND = 'inbound',
}
registerEnumType(AgreementDirection, {
  name: 'AgreementDirection',
  description:
    'mutual; outbound: this node shares with the partner; inbound: the partner shares with this node',
});

export enum AgreementState {
  PROPOSED = 'proposed',
  ACCEPTED = 'accepted',
  ACTIVE = 'active',
  TERMINATED = 'terminated',
  EXPIRED = 'expired',
}
registerEnumType(AgreementState, { name: 'SharingAgreementState' });

/** Attributes a segment merge may be broken down by (the protocol's MERGE_BUCKET_ATTRIBUTES). */
export enum MergeBucket {
  COUNTRY = 'country',
}
registerEnumType(MergeBucket, {
  name: 'MergeBucket',
  description: 'An attribute a merge may be broken down by: COUNTRY (address country, ISO 3166-1 alpha-2).',
});

// The GraphQL enums must stay the protocol's vocabulary, value for value.
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v) => b.includes(v));
if (
  !same(Object.values(Purpose), PURPOSES) ||
  !same(Object.values(DataCategory), DATA_CATEGORIES) ||
  !same(Object.values(MergeBucket), MERGE_BUCKET_ATTRIBUTES)
) {
  throw new Error('Purpose/DataCategory/MergeBucket enums differ from the protocol vocabulary');
}

export const toProtocolPurposes = (values: readonly Purpose[]): ProtocolPurpose[] =>
  values as unknown as ProtocolPurpose[];
export const toProtocolCategories = (values: readonly DataCategory[]): ProtocolCategory[] =>
  values as unknown as ProtocolCategory[];
