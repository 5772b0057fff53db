import { toE164 } from '#platform/validation/validators';

/**
 * The customer search as SQL: one branch per index (e-mail prefix, phone suffix, name trigrams),
 * unioned and ranked: exact e-mail or phone first, then e-mail prefixes and phone suffixes, then
 * names by trigram similarity. Kept as a pure function so that a test can EXPLAIN the very
 * statement the service runs.
 */
export interface SearchStatement {
  sql: string;
  params: unknown[];
}

/** Run first, in the same transaction: how fuzzy a name match may be. */
export const SEARCH_SETTINGS = [
  `SET LOCAL pg_trgm.similarity_threshold = 0.3`,
  `SET LOCAL pg_trgm.word_similarity_threshold = 0.45`,
];

const likeEscape = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export const EXACT = 3;
export const PARTIAL = 2;
export const NAME = 1;

export function customerSearchStatement(raw: string, limit: number): SearchStatement {
  const q = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const branches: string[] = [];

  if (!/\s/.test(q)) {
    // E-mails are stored lower-cased: exact or prefix match on a text_pattern_ops index.
    branches.push(
      `SELECT e.customer_id AS id, CASE WHEN e.address = ${p(q)} THEN ${EXACT} ELSE ${PARTIAL} END AS rank, 1::real AS score
         FROM customer_email e JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
        WHERE e.address LIKE ${p(`${likeEscape(q)}%`)}`,
    );
  }

  const digits = q.replace(/\D/g, '');
  if (/^[+\d\s().\-/]+$/.test(q) && digits.length >= 6) {
    // Phones are E.164; a national form ("01 23 45 67 89") is matched as a suffix without its
    // leading zeros, through an index on the reversed number.
    const suffix = digits.replace(/^0+/, '');
    const exact = toE164(q) ?? `+${digits}`;
    branches.push(
      `SELECT ph.customer_id AS id, CASE WHEN ph.number = ${p(exact)} THEN ${EXACT} ELSE ${PARTIAL} END AS rank, 1::real AS score
         FROM customer_phone ph JOIN customer c ON c.id = ph.customer_id AND c.deleted_at IS NULL
        WHERE reverse(ph.number) LIKE ${p(`${[...suffix].reverse().join('')}%`)}`,
    );
  }

  // Names: a query with an @ is an e-mail, one without letters a phone.
  if (/\p{L}/u.test(q) && !q.includes('@')) {
    const name = p(q);
    branches.push(
      `SELECT c.id, ${NAME} AS rank, greatest(similarity(c.search_text, ${name}), word_similarity(${name}, c.search_text)) AS score
         FROM customer c
        WHERE c.deleted_at IS NULL
          AND (c.search_text % ${name} OR c.search_text %> ${name} OR c.search_text LIKE ${p(`%${likeEscape(q)}%`)})`,
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
