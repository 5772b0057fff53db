import type { Catalogue } from './en';

/** Testi italiani delle schermate marketing: stesse chiavi di marketing.en.ts. */
export const marketingIt: Catalogue['marketing'] = {};
