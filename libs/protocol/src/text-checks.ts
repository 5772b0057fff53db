import { ProtocolError } from './errors.js';

/**
 * Pure checks shared by the node:crypto code and its WebCrypto twins (webcrypto/): no Buffer, no
 * node:crypto, so that both verify the same texts the same way.
 */

/** A C2SP note's text: UTF-8 ending in a newline, without control characters other than newlines. */
export function checkNoteText(text: string): void {
  if (typeof text !== 'string' || text === '' || !text.endsWith('\n')) {
    throw new ProtocolError('MALFORMED', 'note text must end with a newline');
  }
  if (/[\p{Cc}]/u.test(text.replaceAll('\n', '')) || /[\uD800-\uDFFF]/u.test(text)) {
    throw new ProtocolError('MALFORMED', 'note text holds control characters');
  }
}

/** One line of a checkpoint: non-empty UTF-8 text without control characters. */
export function checkCheckpointLine(line: string, what: string): void {
  if (typeof line !== 'string' || line === '' || /[\p{Cc}]/u.test(line) || /[\uD800-\uDFFF]/u.test(line)) {
    throw new ProtocolError('MALFORMED', `checkpoint ${what} must be a non-empty line of text`);
  }
}

/** JSON text that must be an object (a JWS header or payload). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError('MALFORMED', `${what} is not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('MALFORMED', `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
