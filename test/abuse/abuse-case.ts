import { expect } from '@jest/globals';
import pg from 'pg';

/**
 * The abuse corpus's table format. A case names what it sends, the refusal it expects (code and,
 * where it matters, HTTP status) and, by default, proves that nothing was stored: the row counts of
 * every table of the target's database are the same before and after (tables that record the
 * refusal itself are named in `mayChange`). Every case also asserts the corpus's one rule: no
 * input ever produces INTERNAL_SERVER_ERROR (nor an HTTP 5xx).
 */
export interface Answer {
  status: number;
  /** `errors[].extensions.code` of a GraphQL answer, or `error.code` of an HTTP one. */
  codes: string[];
  body: unknown;
}

export interface AbuseCase {
  name: string;
  send: () => Promise<Answer>;
  /** The refusal code expected among the answer's codes. */
  code: string;
  status?: number;
  /** Tables allowed to change (e.g. `refusal`, which records the refusal). */
  mayChange?: string[];
  /** A further read-back, e.g. that the aggregated refusal row counts the flood. */
  check?: (answer: Answer) => Promise<void>;
}

/** Reads an HTTP answer into status, codes and body, whatever its shape. */
export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  const codes: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    const record = value as {
      errors?: { extensions?: { code?: string } }[];
      error?: { code?: string };
      code?: string;
    };
    for (const error of record.errors ?? []) if (error.extensions?.code) codes.push(error.extensions.code);
    if (record.error?.code) codes.push(record.error.code);
  };
  if (Array.isArray(body)) body.forEach(collect);
  else collect(body);
  return { status: response.status, codes, body };
}

/** POSTs raw bytes (or a JSON value) with the given headers. */
export async function post(
  url: string,
  body: string | Uint8Array | object,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  });
  return answerOf(response);
}

/** A GraphQL call over raw HTTP, so the status is seen too. */
export function graphql(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<Answer> {
  return post(`${url}/graphql`, { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
}

/** Row counts of every table of a database, in one query. */
export class TableCounts {
  private readonly pool: pg.Pool;
  private tables: string[] | undefined;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 1 });
  }

  async read(): Promise<Record<string, number>> {
    if (!this.tables) {
      const rows = await this.pool.query<{ name: string }>(
        `SELECT quote_ident(table_name) AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      this.tables = rows.rows.map((r) => r.name);
    }
    const select = this.tables.map((t) => `(SELECT count(*) FROM ${t})::int AS "${t}"`).join(', ');
    const { rows } = await this.pool.query<Record<string, number>>(`SELECT ${select}`);
    const counts = rows[0]!;
    // The ledger's sequencer moves entries from its queue into the tree in the background: count
    // queued and sequenced entries together, and leave out the tree's derived nodes.
    if ('ledger_queue' in counts && 'ledger_entry' in counts) {
      counts.ledger_entries = counts.ledger_queue! + counts.ledger_entry!;
      delete counts.ledger_queue;
      delete counts.ledger_entry;
      delete counts.ledger_node;
    }
    return counts;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Runs one case: the expected refusal, never an internal error, and nothing stored. */
export async function runCase(testCase: AbuseCase, counts: TableCounts): Promise<void> {
  const before = await counts.read();
  const answer = await testCase.send();
  const seen = { status: answer.status, codes: answer.codes };
  expect(seen.codes).not.toContain('INTERNAL_SERVER_ERROR');
  expect(seen.status).toBeLessThan(500);
  expect(seen.codes).toContain(testCase.code);
  if (testCase.status !== undefined) expect(seen.status).toBe(testCase.status);
  const after = await counts.read();
  for (const table of testCase.mayChange ?? []) {
    delete before[table];
    delete after[table];
  }
  expect(after).toEqual(before);
  await testCase.check?.(answer);
}

/** The rows of a refusal table for one reason (aggregated rows carry a count). */
export async function refusalRows(
  url: string,
  reason: string,
): Promise<{ count: number; window_start: Date | null }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number; window_start: Date | null }>(
      `SELECT count, window_start FROM refusal WHERE reason = $1`,
      [reason],
    );
    return rows;
  } finally {
    await client.end();
  }
}
