import type { DataSource, EntityManager } from 'typeorm';

/** What runs a statement: the data source or a transaction's entity manager. */
type Runner = Pick<DataSource | EntityManager, 'query'>;

/**
 * The entries of the kinds `kinds` whose `data.<field>` is one of `values` (sequence number, kind
 * and that value): e.g. the ledger entries of a customer's consents, to prove each of them. The
 * field is written into the statement (a name, checked), so that an expression index on it
 * (the node's `ledger_entry_consent_idx` on `data.consentId`) serves the read.
 */
export async function entriesNaming(
  runner: Runner,
  kinds: readonly string[],
  field: string,
  values: readonly string[],
): Promise<{ seq: string; kind: string; value: string }[]> {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  if (values.length === 0 || kinds.length === 0) return [];
  // `json`, not `jsonb`: the index's expression (reading one field of a text needs no jsonb).
  const value = `((entry::json) -> 'data') ->> '${field}'`;
  return (await runner.query(
    `SELECT seq, kind, ${value} AS value FROM ledger_entry WHERE kind = ANY ($1::text[]) AND ${value} = ANY ($2::text[])`,
    [kinds, values],
  )) as { seq: string; kind: string; value: string }[];
}

/** How many entries of each kind the ledger holds. */
export async function entryCountsByKind(runner: Runner): Promise<{ kind: string; count: number }[]> {
  return (await runner.query(`SELECT kind, count(*)::int AS count FROM ledger_entry GROUP BY kind`)) as {
    kind: string;
    count: number;
  }[];
}
