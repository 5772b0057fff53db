import { ProtocolError } from './errors.js';

/**
 * The shape of an RFC 9162 §2.1.3.2 inclusion proof, apart from any hashing: for each hash of the
 * proof, whether it is the left sibling (true) or the right one (false). Pure and free of
 * node:crypto, so that the node:crypto verifier (merkle.ts) and the WebCrypto one
 * (webcrypto/merkle.ts) walk the same path from the same code. Throws PROOF_INVALID when the proof
 * has the wrong length for (index, size).
 */
export function inclusionPathSides(index: number, size: number, proofLength: number): boolean[] {
  checkSize(size);
  checkIndex(index, size);
  const sides: boolean[] = [];
  let fn = index;
  let sn = size - 1;
  for (let i = 0; i < proofLength; i++) {
    if (sn === 0) throw new ProtocolError('PROOF_INVALID', 'inclusion proof is too long');
    if (isOdd(fn) || fn === sn) {
      sides.push(true);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sides.push(false);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProtocolError('PROOF_INVALID', 'inclusion proof is too short');
  return sides;
}

export function isOdd(n: number): boolean {
  return n % 2 === 1;
}

export function half(n: number): number {
  return Math.floor(n / 2);
}

export function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new ProtocolError('MALFORMED', `tree size ${size} is not valid`);
}

export function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new ProtocolError('MALFORMED', `leaf index ${index} is not valid`);
  if (index >= size) throw new ProtocolError('OUT_OF_RANGE', `leaf ${index} is beyond tree size ${size}`);
}
