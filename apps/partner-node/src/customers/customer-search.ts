import { toE164 } from '#platform/validation/validators';

/**
 * The customer search as SQL, in two bounded steps.
 *
 * 1. The words of the query are matched against the vocabulary of name words
 *    (`customer_name_term`: about a hundred thousand rows where customers number millions): exact
 *    word, prefix, one typo away, or else trigram similarity, the best few per word.
 * 2. One statement unions one branch per index, each bounded to the page size: exact e-mail,
 *    e-mail prefix, phone suffix, and for the best combinations of matched words the customers
 *    holding all of them (GIN on `name_tokens`). Ranked: exact e-mail or phone first, then e-mail
 *    prefixes and phone suffixes, then names by the summed closeness of their words.
 *
 * Nothing ranks the whole table. Pure functions plus a `run` callback, so that the service, the
 * bench (raw pg) and a test (EXPLAIN) send the very same statements.
 */
export interface SearchStatement {
  sql: string;
  params: unknown[];
  /**
   * Set when the text depends only on the statement's shape, never on the query's values: the
   * runner may then prepare it once per connection under this name (see nameTermsStatement).
   */
  name?: string;
}

/** Runs one statement; `name`, when given, names its text for a prepared statement (`pg`). */
export type RunQuery = (sql: string, params: unknown[], name?: string) => Promise<unknown[]>;

export const EXACT = 3;
export const PARTIAL = 2;
export const NAME = 1;

/** Per query word, word combinations looked up (customer_name_matches gives the best five words of each). */
const MAX_COMBINATIONS = 8;
/** A matched word this much less close than the best match of its query word is dropped. */
const TERM_MARGIN = 0.3;
const MAX_WORDS = 4;

const likeEscape = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Accented letters and their plain forms, as the `name_tokens` column folds them (its migration). */
const FOLD_FROM =
  'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïıÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŁłŚśŠšŞşŽžŹźŻżĆćČčĞğŃńŇňŘřŤťĚěŮůŐőŰűĄąĘę';
const FOLD_TO =
  'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiiNnOOOOOOooooooUUUUuuuuYyyLlSsSsSsZzZzZzCcCcGgNnNnRrTtEeUuOoUuAaEe';
const FOLD = new Map([...FOLD_FROM].map((c, i) => [c, FOLD_TO[i]]));

/** The query's name words, folded and split as the `name_tokens` column does (see its migration). */
export function nameWords(raw: string): string[] {
  const words = [...raw]
    .map((c) => FOLD.get(c) ?? c)
    .join('')
    .toLowerCase()
    .split(/[\s,.;:'’()/-]+/)
    .filter((w) => w.length >= 2 && /\p{L}/u.test(w));
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/**
 * A word's variants as the vocabulary's `variants` column holds them (customer_name_variants, its
 * migration): the word itself and, from 4 letters on, the word without each one of its letters.
 * Two words one typo apart share one.
 */
export function nameVariants(word: string): string[] {
  const letters = [...word];
  const variants = new Set([word]);
  if (letters.length >= 4)
    letters.forEach((_, i) => variants.add([...letters.slice(0, i), ...letters.slice(i + 1)].join('')));
  return [...variants];
}

/** The first string after every string that starts with `word`, in byte (code point) order. */
function prefixEnd(word: string): string {
  const letters = [...word];
  const last = letters.pop()!;
  return letters.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

/**
 * Step 1: per query word, the closest vocabulary words (the best five), found by index probes whose
 * cost does not grow with the vocabulary: the word itself and the words it starts (a B-tree range,
 * at most 100 of them), and the words one typo away (words sharing a deletion variant, GIN). Only
 * when these find nothing is the trigram index asked (two typos, a fragment inside a word), by
 * similarity ≥ pg_trgm.similarity_threshold (default 0.3) or LIKE; with a vocabulary of 118,000
 * words it returns a thousand candidates or more for a word, each rechecked (a lookup took p50 3.6,
 * p95 9.4 ms through it alone). An exact word scores 1, a prefix between 0.5 and 1 by how much of
 * the word was typed, a fragment inside a word between 0.4 and 0.8, otherwise its trigram
 * similarity. The SQL is the function `customer_name_matches` (its migration), which keeps one
 * generic plan per connection: planned for each search, the statement cost three times as much.
 */
export function nameTermsStatement(words: string[]): SearchStatement {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const branches = words.map((word, i) => {
    // Fragments from 3 letters on match anywhere in a word ("ckle" finds "pickles"), shorter ones as prefixes.
    const fragment = word.length >= 3 ? `%${likeEscape(word)}%` : `${likeEscape(word)}%`;
    return `SELECT ${i} AS ord, m.term, m.score
              FROM customer_name_matches(${p(word)}, ${p(fragment)}, ${p(prefixEnd(word))}, ${p(nameVariants(word))}::text[]) m`;
  });
  // The text depends only on the number of words: prepared, it is parsed once per connection.
  return { sql: branches.join('\n UNION ALL\n'), params, name: `customers.search-terms-${words.length}` };
}

/**
 * A name's key as the `customer_name_key` index holds it (its migration): the distinct words in
 * code point order, space-separated. (JavaScript compares UTF-16 units, which order as code points
 * do below U+10000; a word beyond would only miss the key and be found by the GIN lookup.)
 */
export function nameKey(words: readonly string[]): string {
  return [...new Set(words)].sort().join(' ');
}

export interface NameCombination {
  terms: string[];
  score: number;
}

/**
 * The best combinations of one matched vocabulary word per query word (a word that matched
 * nothing is left out), by summed score. Pure.
 */
export function nameCombinations(matches: { ord: number; term: string; score: number }[]): NameCombination[] {
  const byWord = new Map<number, { term: string; score: number }[]>();
  for (const m of matches) byWord.set(m.ord, [...(byWord.get(m.ord) ?? []), m]);
  let combos: NameCombination[] = [{ terms: [], score: 0 }];
  for (const [, terms] of [...byWord].sort(([a], [b]) => a - b)) {
    const best = Math.max(...terms.map((t) => t.score));
    const kept = terms.filter((t) => t.score >= best - TERM_MARGIN);
    combos = combos
      .flatMap((c) => kept.map((t) => ({ terms: [...c.terms, t.term], score: c.score + t.score })))
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_COMBINATIONS);
  }
  return combos.filter((c) => c.terms.length > 0);
}

/**
 * Step 2: the bounded, ranked union of every index that can answer the query. With `columns`
 * (a select list over `customer c`), the page's customers themselves, best first, in the same
 * statement (no second round trip for their rows); otherwise their ids.
 */
export function customerSearchStatement(
  raw: string,
  limit: number,
  names: NameCombination[] = [],
  columns?: string,
): SearchStatement {
  const q = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const branches: string[] = [];
  const limitParam = p(limit);

  if (!/\s/.test(q)) {
    // E-mails are stored lower-cased: the exact address, then prefix matches (text_pattern_ops
    // index); each branch is bounded by the page size, so a common prefix stays cheap. Ordered as
    // the index is: where names repeat, the planner guesses 1 % of the table shares a prefix and,
    // without an order to keep, scanned the table for the first 20 (10 ms against 0.5 ms).
    branches.push(
      `(SELECT e.customer_id AS id, ${EXACT} AS rank, 1::real AS score
          FROM customer_email e JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
         WHERE e.address = ${p(q)}
         LIMIT ${limitParam})`,
      `(SELECT e.customer_id AS id, ${PARTIAL} AS rank, 1::real AS score
          FROM customer_email e JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
         WHERE e.address LIKE ${p(`${likeEscape(q)}%`)}
         ORDER BY e.address USING ~<~
         LIMIT ${limitParam})`,
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
         ORDER BY reverse(ph.number) USING ~<~
         LIMIT ${limitParam})`,
    );
  }

  // Names: customers holding every word of a combination (GIN on name_tokens, live rows only),
  // best combination first. A combination is looked up only while fewer than a page of customers
  // were found before it: they all rank above it (a higher rank, or a closer name), so it could
  // only change which of equally ranked customers fill the page. Each gate is an InitPlan counting
  // what the branches before it found; a skipped lookup costs nothing (a one-time filter), where
  // two common words cost a GIN intersection of their posting lists each (1 ms a million customers).
  // What the branches before a gate found is gathered step by step (`seen<n>`: the previous step and
  // the branches since), not unioned again at each gate: the planner planned that union once per
  // gate, and planning grew with the square of the combinations (8 combinations: 7.6 ms to plan).
  const ctes: string[] = [];
  const found: string[] = [];
  let seen: string | undefined;
  let unseen: string[] = [];
  const foundBy = (name: string): void => {
    found.push(name);
    unseen.push(name);
  };
  if (branches.length > 0) {
    ctes.push(`strong AS (${branches.join('\n UNION ALL\n')})`);
    foundBy('strong');
  }
  const gate = (): string => {
    if (unseen.length > 0) {
      const parts = [...(seen ? [seen] : []), ...unseen];
      if (parts.length === 1) seen = parts[0];
      else {
        const next = `seen${ctes.length}`;
        ctes.push(`${next} AS (${parts.map((name) => `SELECT id FROM ${name}`).join(' UNION ALL ')})`);
        seen = next;
      }
      unseen = [];
    }
    return seen === undefined ? '' : `(SELECT count(DISTINCT f.id) FROM ${seen} f) < ${limitParam} AND `;
  };
  names.forEach((combo, i) => {
    const score = p(combo.score);
    // Customers whose words are exactly these (B-tree on the name key), then those holding them among others.
    ctes.push(`key${i} AS (SELECT c.id, ${NAME} AS rank, ${score}::real AS score
          FROM customer c
         WHERE ${gate()}customer_name_key(c.name_tokens) = ${p(nameKey(combo.terms))} AND c.deleted_at IS NULL
         LIMIT ${limitParam})`);
    foundBy(`key${i}`);
    ctes.push(`name${i} AS (SELECT c.id, ${NAME} AS rank, ${score}::real AS score
          FROM customer c
         WHERE ${gate()}c.name_tokens @> ${p(combo.terms)}::text[] AND c.deleted_at IS NULL
         LIMIT ${limitParam})`);
    foundBy(`name${i}`);
  });

  if (found.length === 0) {
    const sql = columns
      ? `SELECT ${columns} FROM customer c WHERE false`
      : `SELECT NULL::uuid AS id WHERE false`;
    return { sql, params: [] };
  }
  ctes.push(`hits AS (${found.map((name) => `SELECT * FROM ${name}`).join(' UNION ALL ')})`);
  const ranked = `SELECT h.id, max(h.rank) AS rank, max(h.score) AS score FROM hits h
     GROUP BY h.id
     ORDER BY max(h.rank) DESC, max(h.score) DESC, h.id
     LIMIT ${limitParam}`;
  const sql = columns
    ? `
    WITH ${ctes.join(',\n    ')},
    best AS (${ranked})
    SELECT ${columns} FROM best b JOIN customer c ON c.id = b.id
     ORDER BY b.rank DESC, b.score DESC, b.id`
    : `
    WITH ${ctes.join(',\n    ')}
    SELECT h.id FROM (${ranked}) h`;
  return { sql, params };
}

/** Both steps: step 1 only when the query has name words (a query with an @ is an e-mail). */
export async function customerSearchStatements(
  run: RunQuery,
  raw: string,
  limit: number,
  columns?: string,
): Promise<{ terms?: SearchStatement; search: SearchStatement }> {
  const words = raw.includes('@') ? [] : nameWords(raw);
  if (words.length === 0) return { search: customerSearchStatement(raw, limit, [], columns) };
  const terms = nameTermsStatement(words);
  const matches = (await run(terms.sql, terms.params, terms.name)) as {
    ord: number;
    term: string;
    score: number;
  }[];
  return { terms, search: customerSearchStatement(raw, limit, nameCombinations(matches), columns) };
}

/**
 * The matching customers' rows (`columns`, a select list over `customer c`), best first: two round
 * trips for a name (its words, then the customers), one for an e-mail or a phone.
 */
export async function searchCustomerRows(
  run: RunQuery,
  raw: string,
  limit: number,
  columns: string,
): Promise<unknown[]> {
  const { search } = await customerSearchStatements(run, raw, limit, columns);
  return run(search.sql, search.params);
}

/** Ids of the customers matching a name (fragments, typos), an e-mail or a phone, best first. */
export async function searchCustomerIds(run: RunQuery, raw: string, limit: number): Promise<string[]> {
  const { search } = await customerSearchStatements(run, raw, limit);
  return ((await run(search.sql, search.params)) as { id: string }[]).map((row) => row.id);
}
