import type { Catalogue } from './en';

/** Testi italiani delle schermate compliance: stesse chiavi di compliance.en.ts. */
export const complianceIt: Catalogue['compliance'] = {};
