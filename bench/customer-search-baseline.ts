import { toE164 } from '#platform/validation/validators';

/**
 * BENCH BASELINE ONLY: main's customer search statement before the name vocabulary, frozen so the
 * bench can measure old and new SQL in the same run (the GiST index on search_text it needs is
 * built by the bench, see BASELINE_SEARCH_INDEX). Original comment follows.
 *
 * The customer search as SQL: one branch per index (e-mail prefix, phone suffix, name trigrams),
 * each bounded to the page size, unioned and ranked: exact e-mail or phone first, then e-mail
 * prefixes and phone suffixes, then names by trigram word similarity. Kept as a pure function so that a test can EXPLAIN the very
 * statement the service runs.
 */
interface SearchStatement {
  sql: string;
  params: unknown[];
}

export const BASELINE_SEARCH_INDEX_NAME = 'customer_search_text_trgm';
export const BASELINE_SEARCH_INDEX = `CREATE INDEX ${BASELINE_SEARCH_INDEX_NAME} ON customer USING gist (search_text gist_trgm_ops)`;

/** Run first, in the same transaction: how fuzzy a name match may be. */
export const BASELINE_SEARCH_SETTINGS = [
  `SET LOCAL pg_trgm.similarity_threshold = 0.3`,
  `SET LOCAL pg_trgm.word_similarity_threshold = 0.45`,
];

const likeEscape = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const EXACT = 3;
const PARTIAL = 2;
const NAME = 1;

export function baselineSearchStatement(raw: string, limit: number): SearchStatement {
  const q = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const branches: string[] = [];

  if (!/\s/.test(q)) {
    // E-mails are stored lower-cased: the exact address, then prefix matches (text_pattern_ops
    // index); each branch is bounded by the page size, so a common prefix stays cheap.
    branches.push(
      `(SELECT e.customer_id AS id, ${EXACT} AS rank, 1::real AS score
          FROM customer_email e JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
         WHERE e.address = ${p(q)}
         LIMIT ${p(limit)})`,
      `(SELECT e.customer_id AS id, ${PARTIAL} AS rank, 1::real AS score
          FROM customer_email e JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
         WHERE e.address LIKE ${p(`${likeEscape(q)}%`)}
         LIMIT ${p(limit)})`,
    );
  }

  const digits = q.replace(/\D/g, '');
  if (/^[+\d\s().\-/]+$/.test(q) && digits.length >= 6) {
    // Phones are E.164; a national form ("01 23 45 67 89") is matched as a suffix without its
    // leading zeros, through an index on the reversed number.
    const suffix = digits.replace(/^0+/, '');
    const exact = toE164(q) ?? `+${digits}`;
    branches.push(
      `(SELECT ph.customer_id AS id, CASE WHEN ph.number = ${p(exact)} THEN ${EXACT} ELSE ${PARTIAL} END AS rank, 1::real AS score
          FROM customer_phone ph JOIN customer c ON c.id = ph.customer_id AND c.deleted_at IS NULL
         WHERE reverse(ph.number) LIKE ${p(`${[...suffix].reverse().join('')}%`)}
         LIMIT ${p(limit)})`,
    );
  }

  // Names: a query with an @ is an e-mail, one without letters a phone.
  if (/\p{L}/u.test(q) && !q.includes('@')) {
    // Nearest names first, by trigram word distance, straight from the GiST index (K-nearest
    // neighbours): the index stops after `limit` rows however common the name is.
    const name = p(q);
    branches.push(
      `(SELECT c.id, ${NAME} AS rank, 1 - (c.search_text <->> ${name}) AS score
          FROM customer c
         WHERE c.deleted_at IS NULL AND c.search_text %> ${name}
         ORDER BY c.search_text <->> ${name}
         LIMIT ${p(limit)})`,
    );
  }

  if (branches.length === 0) return { sql: `SELECT NULL::uuid AS id WHERE false`, params: [] };
  const sql = `
    WITH hits AS (${branches.join('\n UNION ALL\n')})
    SELECT h.id FROM hits h
     GROUP BY h.id
     ORDER BY max(h.rank) DESC, max(h.score) DESC, h.id
     LIMIT ${p(limit)}`;
  return { sql, params };
}
