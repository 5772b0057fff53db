import { isCurrencyCode, toE164 } from '../validation/validators.js';
import {
  checkEmailText,
  identifierProblem,
  isIdentifierField,
  isPlainAscii,
  isRealDate,
  parseStrictDateTime,
  unsafeCharacterProblem,
} from '../validation/text-safety.js';

/**
 * Declarative validation of CSV rows: a file format is a list of columns, each with a kind and its
 * limits. The same list documents the format (`describeColumns`) and checks every row, so the
 * documentation cannot drift from the rules. Pure functions, no I/O.
 *
 * Values come out normalised as strings (or null when empty), ready for a COPY into a staging
 * table: phones in E.164, enums and countries in their canonical case, date-times in ISO 8601 UTC,
 * lists joined by `|`. Reasons never repeat the value (it may be personal data).
 */
export type CsvFieldKind =
  | 'text'
  | 'email'
  | 'phone'
  | 'enum'
  | 'currency'
  | 'country'
  | 'language'
  | 'integer'
  | 'decimal'
  | 'datetime'
  | 'date'
  | 'list'
  | 'json-object';

export interface CsvColumn {
  /** Header name, matched case-insensitively. */
  name: string;
  kind: CsvFieldKind;
  required?: boolean;
  /** Longest value in characters (for lists: of each item; for JSON: of the whole text). */
  maxLength?: number;
  /** Allowed values of an enum (canonical spelling; matched case-insensitively). */
  values?: readonly string[];
  /** Bounds of integers and decimals. */
  min?: number;
  max?: number;
  /** Digits allowed after the decimal point. */
  maxScale?: number;
  /** Most items in a list. */
  maxItems?: number;
  /**
   * An extra rule: receives the normalised value (for JSON, the parsed object) and returns why it
   * is refused, or undefined.
   */
  refine?: (value: unknown) => string | undefined;
  description: string;
}

export type CsvRowCheck = { ok: true; values: (string | null)[] } | { ok: false; reason: string };

const DEFAULT_MAX_LENGTH = 200;
/** Pragmatic e-mail shape (RFC 5321 lengths, one @, a dot in the domain, no spaces or quotes). */
const EMAIL =
  /^[^\s@"(),:;<>[\\\]]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
/** `=cmd|…`, `@SUM(…)`, `+A1`, `-2+3`: text that a spreadsheet evaluates. */
const FORMULA = /^(?:[=@]|[+-][^\s\d]|[+-]\d+\s*[-+*/^(])/;
const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?(\d{1,15})(?:\.(\d+))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Region codes that Intl knows but that are not countries (European Union, United Nations, unknown…).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ']);
const countryCache = new Map<string, boolean>();
const languageCache = new Map<string, string | null>();

export function isCountryCode(code: string): boolean {
  let known = countryCache.get(code);
  if (known === undefined) {
    known = /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== undefined;
    countryCache.set(code, known);
  }
  return known;
}

/** BCP 47 language tag in canonical form (`fr-fr` → `fr-FR`), or null when not a valid tag. */
export function canonicalLanguage(tag: string): string | null {
  let canonical = languageCache.get(tag);
  if (canonical === undefined) {
    try {
      canonical = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(tag) ? Intl.getCanonicalLocales(tag)[0] : null;
    } catch {
      canonical = null;
    }
    if (languageCache.size < 10_000) languageCache.set(tag, canonical);
  }
  return canonical;
}

/** Checks one non-empty, trimmed value; returns the normalised value or a reason. */
function checkValue(column: CsvColumn, value: string): { value: string } | { reason: string } {
  const maxLength = column.maxLength ?? DEFAULT_MAX_LENGTH;
  switch (column.kind) {
    case 'text':
      if (value.length > maxLength) return { reason: `is longer than ${maxLength} characters` };
      // A spreadsheet that opens an export would run it as a formula (CSV injection).
      if (FORMULA.test(value)) return { reason: 'starts like a spreadsheet formula (=, @, + or -)' };
      return { value };
    case 'email':
      if (value.length > Math.min(maxLength, 254)) return { reason: 'is longer than 254 characters' };
      if (!EMAIL.test(value)) return { reason: 'is not a valid e-mail address' };
      return checkEmailText(value);
    case 'phone': {
      if (value.length > 40) return { reason: 'is longer than 40 characters' };
      const e164 = toE164(value);
      if (!e164) return { reason: 'is not a phone number in international form, e.g. +33 1 23 45 67 89' };
      return { value: e164 };
    }
    case 'enum': {
      const values = column.values ?? [];
      const lower = value.toLowerCase();
      const found = values.find((v) => v.toLowerCase() === lower);
      if (found === undefined) return { reason: `must be one of ${values.join(', ')}` };
      return { value: found };
    }
    case 'currency': {
      const code = value.toUpperCase();
      if (code.length !== 3 || !isCurrencyCode(code))
        return { reason: 'is not an ISO 4217 currency code such as EUR or USD' };
      return { value: code };
    }
    case 'country': {
      const code = value.toUpperCase();
      if (!isCountryCode(code)) return { reason: 'is not an ISO 3166-1 alpha-2 country code such as FR' };
      return { value: code };
    }
    case 'language': {
      const tag = value.length <= 35 ? canonicalLanguage(value) : null;
      if (!tag) return { reason: 'is not a BCP 47 language tag such as fr or en-GB' };
      return { value: tag };
    }
    case 'integer': {
      if (!INTEGER.test(value)) return { reason: 'is not a whole number' };
      const n = Number(value);
      if (column.min !== undefined && n < column.min) return { reason: `must be at least ${column.min}` };
      if (column.max !== undefined && n > column.max) return { reason: `must be at most ${column.max}` };
      return { value: String(n) };
    }
    case 'decimal': {
      const match = DECIMAL.exec(value);
      if (!match) return { reason: 'is not a decimal number such as 12.50' };
      const scale = match[2]?.length ?? 0;
      if (column.maxScale !== undefined && scale > column.maxScale)
        return { reason: `has more than ${column.maxScale} digits after the decimal point` };
      const n = Number(value);
      if (column.min !== undefined && n < column.min) return { reason: `must be at least ${column.min}` };
      if (column.max !== undefined && n > column.max) return { reason: `must be at most ${column.max}` };
      return { value: value.startsWith('+') ? value.slice(1) : value };
    }
    case 'date': {
      const match = DATE.exec(value);
      if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3])))
        return { reason: 'is not a date in the form YYYY-MM-DD' };
      return { value };
    }
    case 'datetime': {
      const time = parseStrictDateTime(value);
      if (!time) return { reason: 'is not an ISO 8601 date-time such as 2025-03-01T14:30:00Z' };
      return { value: time.toISOString() };
    }
    case 'list': {
      const items: string[] = [];
      for (const raw of value.split('|')) {
        const item = raw.trim();
        if (item === '' || items.includes(item)) continue;
        if (item.length > maxLength) return { reason: `has an item longer than ${maxLength} characters` };
        items.push(item);
      }
      const maxItems = column.maxItems ?? 50;
      if (items.length > maxItems) return { reason: `has more than ${maxItems} items` };
      return { value: items.join('|') };
    }
    case 'json-object': {
      if (value.length > maxLength) return { reason: `is longer than ${maxLength} characters` };
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        return { reason: 'is not valid JSON' };
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return { reason: 'must be a JSON object such as {"key": "value"}' };
      // PostgreSQL's jsonb refuses the NUL character.
      if (value.includes('\\u0000')) return { reason: 'contains a NUL character' };
      const refused = column.refine?.(parsed);
      if (refused) return { reason: refused };
      return { value };
    }
  }
}

/** Validates rows of one file against its columns, in the order of the file's header. */
export class CsvRowValidator {
  private constructor(
    readonly columns: readonly CsvColumn[],
    /** For each column (in `columns` order), its index in the file, or -1 when absent. */
    private readonly positions: readonly number[],
    private readonly width: number,
  ) {}

  /**
   * Reads the header: every required column must be there, no column may be unknown or repeated.
   * Returns the validator or the problems with the header.
   */
  static fromHeader(
    columns: readonly CsvColumn[],
    header: readonly string[],
  ): { validator: CsvRowValidator } | { problems: string[] } {
    const problems: string[] = [];
    const index = new Map<string, number>();
    header.forEach((raw, i) => {
      const name = raw.trim().toLowerCase();
      if (name === '') problems.push(`column ${i + 1} of the header has no name`);
      else if (index.has(name)) problems.push(`column "${name}" appears twice in the header`);
      else if (!columns.some((c) => c.name === name))
        problems.push(
          `unknown column "${name.slice(0, 60)}"; the columns are ${columns.map((c) => c.name).join(', ')}`,
        );
      else index.set(name, i);
    });
    for (const column of columns) {
      if (column.required && !index.has(column.name))
        problems.push(`required column "${column.name}" is missing`);
    }
    if (problems.length > 0) return { problems };
    return {
      validator: new CsvRowValidator(
        columns,
        columns.map((c) => index.get(c.name) ?? -1),
        header.length,
      ),
    };
  }

  /** Checks one row; all problems of the row are reported together, separated by "; ". */
  check(fields: readonly string[]): CsvRowCheck {
    if (fields.length !== this.width) {
      return { ok: false, reason: `has ${fields.length} fields, the header has ${this.width}` };
    }
    const values: (string | null)[] = new Array<string | null>(this.columns.length);
    let reasons: string | undefined;
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c];
      const at = this.positions[c];
      // NFC: `e` + combining accent and `é` are one spelling (as at the GraphQL edge).
      const trimmed = at === -1 ? '' : fields[at].trim();
      if (trimmed === '') {
        values[c] = null;
        if (column.required) reasons = (reasons ? `${reasons}; ` : '') + `${column.name}: is required`;
        continue;
      }
      // Printable ASCII (most values) is already NFC and has no character to refuse.
      const ascii = isPlainAscii(trimmed);
      const raw = ascii ? trimmed : trimmed.normalize('NFC');
      const unsafe = ascii
        ? undefined
        : raw.includes('\uFFFD')
          ? 'is not UTF-8 text (save the file as UTF-8)'
          : isIdentifierField(column.name)
            ? identifierProblem(raw)
            : unsafeCharacterProblem(raw);
      if (unsafe) {
        reasons = (reasons ? `${reasons}; ` : '') + `${column.name}: ${unsafe}`;
        continue;
      }
      let result = checkValue(column, raw);
      if ('value' in result && column.refine && column.kind !== 'json-object') {
        const refused = column.refine(result.value);
        if (refused) result = { reason: refused };
      }
      if ('reason' in result) reasons = (reasons ? `${reasons}; ` : '') + `${column.name}: ${result.reason}`;
      else values[c] = result.value;
    }
    return reasons ? { ok: false, reason: reasons } : { ok: true, values };
  }
}

/** A Markdown table of the columns, for documentation and `--help`. */
export function describeColumns(columns: readonly CsvColumn[]): string {
  const rows = columns.map((c) => {
    const limits: string[] = [];
    if (c.kind === 'enum') limits.push(`one of ${(c.values ?? []).join(', ')}`);
    if (c.kind === 'text' || c.kind === 'list' || c.kind === 'json-object')
      limits.push(`≤ ${c.maxLength ?? DEFAULT_MAX_LENGTH} chars${c.kind === 'list' ? ' each' : ''}`);
    if (c.min !== undefined) limits.push(`≥ ${c.min}`);
    if (c.max !== undefined) limits.push(`≤ ${c.max}`);
    if (c.maxScale !== undefined) limits.push(`≤ ${c.maxScale} decimals`);
    return `| ${c.name} | ${c.required ? 'yes' : 'no'} | ${c.kind}${limits.length ? ` (${limits.join(', ')})` : ''} | ${c.description} |`;
  });
  return ['| column | required | kind | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
