import { defineQueries } from '#platform/database/named-queries';
import { fromPackedTextArray } from '#platform/database/packed-text-array';

/**
 * Statements on `federation_ledger_message` (the ledger module's table): the signed messages the
 * ledger's entries name by hash, kept so that an export can carry them.
 */
export const LEDGER_MESSAGE_QUERIES = defineQueries('ledger', {
  /** Stores messages (hashes $1, JWSs $2 as `packedTextArray`); a message stored already is left as it is. */
  storeMessages: `
    INSERT INTO federation_ledger_message (hash, jws) SELECT * FROM unnest($1::text[], ${fromPackedTextArray('$2')})
    ON CONFLICT (hash) DO NOTHING`,
  /** `storeMessages` with each row's own time (clock_timestamp), for a batch of events. */
  storeMessagesEachTimed: `
    INSERT INTO federation_ledger_message (hash, jws, created_at)
    SELECT h, j, clock_timestamp() FROM unnest($1::text[], ${fromPackedTextArray('$2')}) AS u(h, j)
    ON CONFLICT (hash) DO NOTHING`,
  /** The stored messages among the hashes $1. */
  messagesByHash: `SELECT hash, jws FROM federation_ledger_message WHERE hash = ANY($1::text[])`,
});
