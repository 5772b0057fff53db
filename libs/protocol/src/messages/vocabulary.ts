import { z } from 'zod';

/**
 * Fixed vocabularies of the protocol (invariant 3). Purposes map to W3C Data Privacy Vocabulary
 * (DPV, https://w3id.org/dpv) concepts so that consent records can be exported to DPV/ISO 27560
 * tooling. 'analytics' maps to dpv:ServiceOptimisation, not dpv:ResearchAndDevelopment: the
 * network uses it to improve the partners' own services (segments, sales statistics), which is
 * optimisation of a service, not research.
 */
export const PURPOSES = ['customer-care', 'marketing', 'analytics'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const purposeSchema = z.enum(PURPOSES);

export const DPV_PURPOSES: Readonly<Record<Purpose, string>> = {
  'customer-care': 'dpv:CustomerCare',
  marketing: 'dpv:Marketing',
  analytics: 'dpv:ServiceOptimisation',
};

/** Categories of shared data; each maps to a DPV personal-data category for exports. */
export const DATA_CATEGORIES = ['contact', 'orders', 'care-history', 'segment-membership'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];
export const dataCategorySchema = z.enum(DATA_CATEGORIES);

export const DPV_DATA_CATEGORIES: Readonly<Record<DataCategory, string>> = {
  contact: 'pd:Contact',
  orders: 'pd:PurchaseHistory',
  'care-history': 'pd:ServiceConsumptionBehavior',
  'segment-membership': 'pd:Profile',
};

/** How consent was collected (ISO/IEC TS 27560 "collection method"). */
export const COLLECTION_METHODS = ['web_form', 'phone', 'in_person', 'email', 'paper'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];
export const collectionMethodSchema = z.enum(COLLECTION_METHODS);

export const MEMBERSHIP_STATUSES = ['active', 'suspended', 'removed'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const AGREEMENT_STATES = ['proposed', 'accepted', 'active', 'terminated', 'expired'] as const;
export type AgreementState = (typeof AGREEMENT_STATES)[number];

/** Which moves an agreement may make; terminated and expired are final. */
export const AGREEMENT_TRANSITIONS: Readonly<Record<AgreementState, readonly AgreementState[]>> = {
  proposed: ['accepted', 'terminated', 'expired'],
  accepted: ['active', 'terminated', 'expired'],
  active: ['terminated', 'expired'],
  terminated: [],
  expired: [],
};

export function isAllowedAgreementTransition(from: AgreementState, to: AgreementState): boolean {
  return AGREEMENT_TRANSITIONS[from].includes(to);
}

/** 'mutual': both parties share; 'one-way': parties[0] shares with parties[1] only. */
export const AGREEMENT_DIRECTIONS = ['mutual', 'one-way'] as const;
export type AgreementDirection = (typeof AGREEMENT_DIRECTIONS)[number];
