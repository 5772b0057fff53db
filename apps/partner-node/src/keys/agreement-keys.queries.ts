import { defineQueries } from '#platform/database/named-queries';

/** The node's X25519 agreement keys, read to open what is encrypted to them. Run by AgreementKeyDecryptor. */
export const AGREEMENT_KEY_QUERIES = defineQueries('keys', {
  /** The sealed private key of the agreement key $1 (kid), active or retired. */
  sealedAgreementKey: `
    SELECT sealed_private_key FROM node_key WHERE kid = $1 AND use = 'agreement' AND status IN ('active','retired')`,
});
