import type { Catalogue } from './en';

/** Testi italiani delle schermate operator: stesse chiavi di operator.en.ts. */
export const operatorIt: Catalogue['operator'] = {};
