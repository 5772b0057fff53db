import { createHash } from 'node:crypto';
import { toE164 } from '#platform/validation/validators';

/**
 * The customer search as SQL, in two bounded steps.
 *
 * 1. The words of the query are matched against the vocabulary of name words
 *    (`customer_name_term`: about a hundred thousand rows where customers number millions): exact
 *    word, prefix, one typo away, or else trigram similarity, the best few per word.
 * 2. One function call looks the customers up, one index per lookup, each bounded to the page
 *    size, until a page is found: exact e-mail, e-mail prefix, phone suffix, and for the best
 *    combinations of matched words the customers holding all of them (name key, then GIN on
 *    `name_tokens`). Ranked: exact e-mail or phone first, then e-mail prefixes and phone
 *    suffixes, then names by the summed closeness of their words.
 *
 * Nothing ranks the whole table. Both steps are functions in the database with one generic plan
 * per connection (planning each search's statements cost as much as running them). Pure
 * functions plus a `run` callback, so that the service, the bench (raw pg) and the tests send the
 * very same statements.
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

/** A `pg` pool or client, as `pgRunQuery` uses it. */
export interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** `RunQuery` over a `pg` pool or client: a named statement is prepared once per connection. */
export function pgRunQuery(db: PgQueryable): RunQuery {
  return async (sql, values, name) =>
    (await db.query(name ? { name, text: sql, values } : { text: sql, values })).rows;
}

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

/**
 * The first string after every string that starts with `word`, in byte (code point) order: the
 * end of a range that an index scans for the prefix (LIKE cannot use the index with a parameter).
 * Null when there is none (a word of U+10FFFF only, or none at all): such a range finds nothing.
 */
export function prefixEnd(word: string): string | null {
  const letters = [...word];
  while (letters.length > 0) {
    const next = letters.pop()!.codePointAt(0)! + 1;
    // UTF-16 surrogates are not characters (nor valid in UTF-8): after U+D7FF comes U+E000.
    if (next <= 0x10ffff) return letters.join('') + String.fromCodePoint(next === 0xd800 ? 0xe000 : next);
  }
  return null;
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
 * Step 2: the ranked page of customers, by the function `customer_search_hits` (its migration):
 * the lookups that can answer the query, each by its index and bounded by the page, run in order
 * until a page is found: exact e-mail, e-mail prefix, phone suffix, then for the best combinations
 * of matched words the customers whose words are exactly these (name key), then those holding
 * them among others (GIN on `name_tokens`). Ranked: exact e-mail or phone first, then e-mail
 * prefixes and phone suffixes, then names by the summed closeness of their words. With `columns`
 * (a select list over `customer c`), the page's customers themselves, best first, in the same
 * statement (no second round trip for their rows); otherwise their ids. Its text depends only on
 * `columns`: prepared once per connection, like the function's plans.
 */
export function customerSearchStatement(
  raw: string,
  limit: number,
  names: NameCombination[] = [],
  columns?: string,
): SearchStatement {
  const q = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  // E-mails are stored lower-cased: a query without a space may be one, or its beginning.
  const email = q === '' || /\s/.test(q) ? null : q;
  // Phones are E.164; a national form ("01 23 45 67 89") is matched as a suffix without its
  // leading zeros, through the index on the reversed number.
  const digits = q.replace(/\D/g, '');
  const isPhone = /^[+\d\s().\-/]+$/.test(q) && digits.length >= 6;
  const reversedSuffix = [...digits.replace(/^0+/, '')].reverse().join('');
  if (email === null && !isPhone && names.length === 0) {
    const sql = columns
      ? `SELECT ${columns} FROM customer c WHERE false`
      : `SELECT NULL::uuid AS id WHERE false`;
    return { sql, params: [] };
  }
  const params = [
    limit,
    email,
    email,
    email === null ? null : prefixEnd(email),
    isPhone ? (toE164(q) ?? `+${digits}`) : null,
    isPhone ? reversedSuffix : null,
    isPhone ? prefixEnd(reversedSuffix) : null,
    names.map((combo) => nameKey(combo.terms)),
    names.map((combo) => combo.score),
  ];
  const sql = `SELECT ${columns ?? 'c.id'}
      FROM customer_search_hits($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::real[]) WITH ORDINALITY c
     ORDER BY c.ordinality`;
  return { sql, params, name: `customers.search-${statementKey(columns ?? 'id')}` };
}

/** A short name for a select list (prepared statement names are at most 63 bytes). */
function statementKey(columns: string): string {
  return createHash('sha256').update(columns).digest('base64url').slice(0, 16);
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
  return run(search.sql, search.params, search.name);
}

/** Ids of the customers matching a name (fragments, typos), an e-mail or a phone, best first. */
export async function searchCustomerIds(run: RunQuery, raw: string, limit: number): Promise<string[]> {
  const { search } = await customerSearchStatements(run, raw, limit);
  return ((await run(search.sql, search.params, search.name)) as { id: string }[]).map((row) => row.id);
}
