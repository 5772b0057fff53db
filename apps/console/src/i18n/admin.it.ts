import type { Catalogue } from './en';

/** Testi italiani delle schermate admin: stesse chiavi di admin.en.ts. */
export const adminIt: Catalogue['admin'] = {};
