/**
 * Characters no input of ours has a use for, and the rules for identifiers people read (names,
 * e-mail addresses, external ids). Pure functions, shared by the GraphQL/HTTP edge and CSV import.
 * Reasons never repeat the value (it may be personal data).
 */

/**
 * Refused in every string: C0 controls but tab, line feed and carriage return (NUL among them:
 * PostgreSQL refuses it), DEL and C1 controls, lone UTF-16 surrogates (not Unicode text), the
 * non-characters U+FFFE/U+FFFF, and the bidirectional overrides and isolates ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Invisible characters and bidi marks: harmless in prose, a disguise in a name or an address. */
// eslint-disable-next-line no-misleading-character-class -- the class lists invisible code points on purpose
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u2060-\u2064\u3164\uFEFF]/u;

/**
 * Fields that name or identify something (names, e-mails, external ids), by their property or
 * column name: in these, invisible characters are refused too.
 */
export function isIdentifierField(name: string): boolean {
  return /(?:name|email|external_?id)$/i.test(name);
}

/**
 * Printable ASCII and tab: none of the characters refused below, a single script (Latin), and
 * already in NFC. Most values of an import are such text, checked by this one scan.
 */
const PLAIN_ASCII = /^[\t\x20-\x7E]*$/;

export function isPlainAscii(value: string): boolean {
  return PLAIN_ASCII.test(value);
}

export function unsafeCharacterProblem(value: string): string | undefined {
  if (PLAIN_ASCII.test(value)) return undefined;
  const found = UNSAFE.exec(value);
  if (found?.[0] === '\0') return 'contains a NUL character';
  if (found) return `contains the control character U+${codePoint(found[0])}`;
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text (lone surrogate)';
  return undefined;
}

/** For names and identifiers: the unsafe characters and the invisible ones. */
export function identifierProblem(value: string): string | undefined {
  if (PLAIN_ASCII.test(value)) return undefined;
  const unsafe = unsafeCharacterProblem(value);
  if (unsafe) return unsafe;
  const found = INVISIBLE.exec(value);
  if (found) return `contains the invisible character U+${codePoint(found[0])}`;
  return undefined;
}

function codePoint(char: string): string {
  return char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** The script of each letter that matters for look-alikes; digits and punctuation have none. */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Cherokee'] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, 'u')] as const);

/** The look-alike scripts a label mixes (e.g. Latin and Cyrillic in `pаypal`), or none. */
export function mixedScripts(label: string): string[] {
  if (PLAIN_ASCII.test(label)) return [];
  const found = new Set<string>();
  for (const char of label) {
    for (const [script, pattern] of SCRIPT_PATTERNS) {
      if (pattern.test(char)) {
        found.add(script);
        break;
      }
    }
  }
  return found.size > 1 ? [...found] : [];
}

/**
 * An e-mail address as people type it, normalised (NFC) or refused: no invisible or control
 * characters, and neither the local part nor a domain label may mix look-alike scripts.
 */
export function checkEmailText(raw: string): { value: string } | { reason: string } {
  if (PLAIN_ASCII.test(raw)) return { value: raw };
  const value = raw.normalize('NFC');
  const problem = identifierProblem(value);
  if (problem) return { reason: problem };
  const at = value.lastIndexOf('@');
  const parts = at < 0 ? [value] : [value.slice(0, at), ...value.slice(at + 1).split('.')];
  for (const part of parts) {
    const scripts = mixedScripts(part);
    if (scripts.length > 0) return { reason: `mixes look-alike scripts (${scripts.join(', ')})` };
  }
  return { value };
}

/** The whole string value is a calendar date that exists: `2024-02-30` is refused, not rolled over. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses an ISO 8601 date or date-time strictly (no rolled-over days, hours ≤ 23, minutes and
 * seconds ≤ 59); a time without an offset is UTC. Returns undefined when it is not one.
 */
export function parseStrictDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  if (!isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  if (Number(match[4] ?? 0) > 23 || Number(match[5] ?? 0) > 59 || Number(match[6] ?? 0) > 59)
    return undefined;
  let iso = text.replace(' ', 'T');
  if (!match[4]) iso += 'T00:00:00Z';
  else if (!match[7]) iso += 'Z';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : new Date(time);
}
