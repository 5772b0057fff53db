import { ValidationError } from '../errors/app-errors.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/**
 * The password policy of users, operators and the CLI (NIST SP 800-63B style): long enough, not a
 * known common password (offline list, also with digits or symbols around it and in l33t
 * spelling), not trivially repetitive or sequential. No composition rules. Pure function.
 */
export const MIN_PASSWORD_LENGTH = 12;

const COMMON = new Set(COMMON_PASSWORDS.split('\n').filter(Boolean));
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn'];
/** Keyboard rows both ways, wrapped once (so `90123` and `poiuy` are walks too). */
const KEYBOARD_ROWS = ROWS.flatMap((row) => [row + row, [...(row + row)].reverse().join('')]);

/** Why this password is refused, or undefined when it is acceptable. Never repeats the password. */
export function passwordProblem(password: string): string | undefined {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  const lower = password.toLowerCase();
  if (new Set(chars).size < 5 || isRepeated(lower)) return 'is too repetitive';
  if (isSequential(lower)) return 'is a sequence (abcd…, 1234…, a keyboard row)';
  if (isCommon(lower)) return 'is a common password, or one with only digits or symbols added';
  return undefined;
}

/** Throws a ValidationError naming `field` when the password breaks the policy. */
export function checkPasswordPolicy(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(field, problem);
}

/** A short block repeated: `abcabcabcabc`, `passpasspass`. */
function isRepeated(text: string): boolean {
  for (let size = 1; size <= Math.min(6, text.length / 2); size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text) return true;
  }
  return false;
}

/** Each character one step after the previous (up or down), or a walk along a keyboard row. */
function isSequential(text: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    steps.add(step === -9 || step === 9 ? Math.sign(-step) : step); // 9→0 and 0→9 continue a digit run
  }
  if (steps.size === 1 && [...steps].every((s) => Math.abs(s) === 1)) return true;
  return isRowWalks(text.replace(/[^a-z0-9]/g, ''));
}

/** One or several keyboard rows walked, at least 4 keys each (`qwertyuiop[]`, `1234qwerasdf`). */
function isRowWalks(text: string): boolean {
  if (text.length < 6) return false;
  let rest = text;
  while (rest.length > 0) {
    const next = KEYBOARD_ROWS.map((row) => longestPrefixIn(rest, row)).reduce((a, b) => Math.max(a, b), 0);
    if (next < 4) return false;
    rest = rest.slice(next);
  }
  return true;
}

function longestPrefixIn(text: string, row: string): number {
  for (let n = text.length; n > 0; n--) if (row.includes(text.slice(0, n))) return n;
  return 0;
}

/** The base word once digits and symbols around it are dropped and l33t letters read back. */
function isCommon(text: string): boolean {
  const candidates = new Set<string>();
  const trimmed = text.replace(/^[^a-z]+|[^a-z]+$/g, '');
  candidates.add(text);
  candidates.add(trimmed);
  const deleet = [...text].map((c) => LEET[c] ?? c).join('');
  candidates.add(deleet);
  candidates.add(deleet.replace(/^[^a-z]+|[^a-z]+$/g, ''));
  candidates.add(text.replace(/[^a-z]/g, ''));
  for (const candidate of candidates) {
    if (candidate.length === 0) continue;
    if (COMMON.has(candidate)) return true;
    // a common word repeated or doubled, e.g. `passwordpassword`.
    const half = candidate.slice(0, candidate.length / 2);
    if (candidate.length % 2 === 0 && half + half === candidate && COMMON.has(half)) return true;
  }
  return false;
}
