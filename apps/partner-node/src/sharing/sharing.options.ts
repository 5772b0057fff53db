import type { PartnerNodeConfig } from '../config.js';

/** Tunables of the sharing module: the SHARING_* variables, validated with the node's config (config.ts). */
export type SharingOptions = PartnerNodeConfig['sharing'];

export const SHARING_OPTIONS = Symbol('SHARING_OPTIONS');
