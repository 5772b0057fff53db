import { sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';

/**
 * Where Ed25519 runs when a caller asks for it off the event loop (a batch's signatures, a
 * batch's checks): the same bytes and verdicts as the synchronous calls (Ed25519 is
 * deterministic), computed elsewhere so that the event loop goes on and every core works.
 * `input` is the JWS signing input ("header.payload", ASCII).
 *
 * By default libuv's threadpool (node:crypto's callback form). A server installs a pool of
 * worker threads (`#platform/crypto/ed25519-workers`) that takes a batch in one message: the
 * threadpool costs the event loop 11–17 µs a signature to hand over and collect, a worker's
 * batch about 1 µs (issue 17), and the event loop is what a bulk file waits for.
 */
export interface Ed25519OffThread {
  sign(input: string, key: KeyObject): Promise<Buffer>;
  verify(input: string, key: KeyObject, signature: Buffer): Promise<boolean>;
}

export const libuvEd25519: Ed25519OffThread = {
  sign: (input, key) =>
    new Promise((resolve, reject) =>
      // The input is copied (it must outlive the call).
      edSign(null, Buffer.from(input, 'latin1'), key, (error, signature) =>
        error ? reject(error) : resolve(signature),
      ),
    ),
  verify: (input, key, signature) =>
    new Promise((resolve, reject) =>
      edVerify(null, Buffer.from(input, 'latin1'), key, signature, (error, ok) =>
        error ? reject(error) : resolve(ok),
      ),
    ),
};

let engine: Ed25519OffThread = libuvEd25519;

/** Installs where off-thread Ed25519 runs in this process (a server, once, at start). */
export function useEd25519OffThread(next: Ed25519OffThread): void {
  engine = next;
}

/** The engine in use. */
export const ed25519OffThread = (): Ed25519OffThread => engine;
