import { createRequire } from 'node:module';
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { libuvEd25519, type Ed25519OffThread } from '#protocol';

/**
 * Ed25519 on worker threads, a batch per message (issue 17). node:crypto's callback form hands
 * each signature to libuv's threadpool on its own, and the event loop paid 11–17 µs a signature
 * to hand it over and collect it: a third of what the signature itself costs, on the thread a
 * bulk file of consents waits for. Here the calls made in one turn of the event loop go together
 * (up to BATCH a message), the worker signs or checks them one after another, and the answers
 * come back in one transferred buffer: about 1 µs a signature on the event loop.
 *
 * The workers compute with libsodium (`sodium-native`) where its binary loads: OpenSSL's Ed25519,
 * which node:crypto uses, does its field arithmetic in 32-bit limbs, libsodium in 51-bit ones, and
 * on the bench's machine it signs in 20 µs against 37 and checks in 51 µs against 107. The bytes
 * are the same (Ed25519 signatures are deterministic, RFC 8032). The verdicts are node:crypto's:
 * libsodium accepts a signature only when the equation node:crypto checks holds for the same
 * encodings (it refuses more: small-order points, non-canonical encodings), so a signature
 * libsodium accepts is accepted, and any other is checked again by node:crypto, whose verdict
 * stands. Keys that are not Ed25519, and every call where libsodium is missing, go to node:crypto.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { sign, verify } = require('node:crypto');
let sodium = null;
try {
  if (workerData.sodium) sodium = require(workerData.sodium);
} catch {}
parentPort.on('message', ({ id, keys, raws, keyOf, inputs, signatures, lengths }) => {
  const errors = [];
  if (!signatures) {
    const out = new Uint8Array(64 * inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      try {
        const message = Buffer.from(inputs[i], 'latin1');
        const raw = raws[keyOf[i]];
        if (sodium && raw && raw.length === 64) sodium.crypto_sign_detached(out.subarray(64 * i, 64 * i + 64), message, raw);
        else out.set(sign(null, message, keys[keyOf[i]]), 64 * i);
      } catch (error) {
        errors.push([i, String((error && error.message) || error)]);
      }
    }
    parentPort.postMessage({ id, out, errors }, [out.buffer]);
    return;
  }
  const out = new Uint8Array(inputs.length);
  let at = 0;
  for (let i = 0; i < inputs.length; i++) {
    const signature = Buffer.from(signatures.buffer, signatures.byteOffset + at, lengths[i]);
    at += lengths[i];
    try {
      const message = Buffer.from(inputs[i], 'latin1');
      const raw = raws[keyOf[i]];
      const accepted = sodium && raw && raw.length === 32 && signature.length === 64 &&
        sodium.crypto_sign_verify_detached(signature, message, raw);
      out[i] = accepted || verify(null, message, keys[keyOf[i]], signature) ? 1 : 0;
    } catch (error) {
      errors.push([i, String((error && error.message) || error)]);
    }
  }
  parentPort.postMessage({ id, out, errors }, [out.buffer]);
});
`;

/** Where libsodium's binding is, when it loads on this platform (else the workers use node:crypto). */
function sodiumPath(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const path = require.resolve('sodium-native');
    require(path);
    return path;
  } catch {
    return undefined;
  }
}

/**
 * A key's raw bytes for libsodium: a private key as seed ‖ public key (64 bytes), a public key
 * as its 32 bytes; null for any other kind of key (node:crypto signs or refuses it as before).
 */
const rawKeys = new WeakMap<KeyObject, Uint8Array | null>();
function rawKey(key: KeyObject): Uint8Array | null {
  let raw = rawKeys.get(key);
  if (raw === undefined) {
    raw = null;
    if (key.asymmetricKeyType === 'ed25519') {
      const jwk = key.export({ format: 'jwk' });
      const x = Buffer.from(jwk.x!, 'base64url');
      raw =
        key.type === 'private'
          ? new Uint8Array(Buffer.concat([Buffer.from(jwk.d!, 'base64url'), x]))
          : new Uint8Array(x);
    }
    rawKeys.set(key, raw);
  }
  return raw;
}

/** Calls per message at most: large enough that handing over is cheap, small enough to spread. */
const BATCH = 128;
/** A turn's remainder is split between idle workers, down to this many calls a message. */
const MIN_SPLIT = 16;
/** How long after a call that found no worker ready one starts (see `startSoon`). */
const START_DELAY_MS = 200;
/** A worker idle this long ends (a process that signs now and then keeps no thread for it). */
const IDLE_MS = 10_000;

interface Call {
  input: string;
  key: KeyObject;
  /** Present for a check. */
  signature?: Buffer;
  resolve(value: Buffer | boolean): void;
  reject(error: Error): void;
}

interface Batch {
  id: number;
  calls: Call[];
  verifying: boolean;
}

interface WorkerAnswer {
  id: number;
  out: Uint8Array;
  errors: [number, string][];
}

interface PoolWorker {
  worker: Worker;
  /** Started and running its script: what is posted now is taken at once. */
  online: boolean;
  inFlight: Map<number, Batch>;
  idle?: NodeJS.Timeout;
}

export class Ed25519Workers implements Ed25519OffThread {
  private readonly workers: PoolWorker[] = [];
  private readonly signs: Call[] = [];
  private readonly checks: Call[] = [];
  private flushScheduled = false;
  private nextId = 0;
  private startTimer?: NodeJS.Timeout;
  private calledOnThreadpool = 0;
  private readonly sodium = sodiumPath();

  constructor(
    private readonly size = Math.max(1, Math.min(4, availableParallelism())),
    private readonly idleMs = IDLE_MS,
  ) {}

  /** What computes the signatures: libsodium where its binary loads, else node:crypto. */
  get engine(): 'libsodium' | 'node:crypto' {
    return this.sodium ? 'libsodium' : 'node:crypto';
  }

  /** Calls answered on libuv's threadpool while no worker was ready (see `send`). */
  get threadpoolCalls(): number {
    return this.calledOnThreadpool;
  }

  /** Worker threads started and ready to take calls. */
  get readyThreads(): number {
    return this.workers.filter((w) => w.online).length;
  }

  /** Worker threads running now. */
  get threads(): number {
    return this.workers.length;
  }

  sign(input: string, key: KeyObject): Promise<Buffer> {
    return new Promise<Buffer | boolean>((resolve, reject) => {
      this.enqueue(this.signs, { input, key, resolve, reject }, false);
    }) as Promise<Buffer>;
  }

  verify(input: string, key: KeyObject, signature: Buffer): Promise<boolean> {
    return new Promise<Buffer | boolean>((resolve, reject) => {
      this.enqueue(this.checks, { input, key, signature, resolve, reject }, true);
    }) as Promise<boolean>;
  }

  private enqueue(queue: Call[], call: Call, verifying: boolean): void {
    queue.push(call);
    if (queue.length >= BATCH) this.send(queue.splice(0, BATCH), verifying);
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      // What this turn asked for goes once the turn is over: the calls of a loop travel together.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [queue, verifying] of [
      [this.signs, false],
      [this.checks, true],
    ] as const) {
      if (queue.length === 0) continue;
      const parts = Math.max(1, Math.min(this.size, Math.floor(queue.length / MIN_SPLIT)));
      const each = Math.ceil(queue.length / parts);
      while (queue.length > 0) this.send(queue.splice(0, each), verifying);
    }
  }

  private send(calls: Call[], verifying: boolean): void {
    if (calls.length < MIN_SPLIT && !this.workers.some((w) => w.online)) {
      // No worker is ready (the first calls, or the pool ended idle): a worker takes 30–45 ms to
      // start, which an interactive call (a consent given after a quiet spell) would wait for at
      // each end. Until one is, a few calls go to libuv's threadpool (node:crypto: the same bytes
      // and verdicts); a batch (a file's receipts) waits for the worker that starts, as handing
      // each call to the threadpool costs the event loop more than the wait.
      if (this.workers.length === 0) this.startSoon();
      this.calledOnThreadpool += calls.length;
      for (const call of calls) {
        const answer: Promise<Buffer | boolean> = call.signature
          ? libuvEd25519.verify(call.input, call.key, call.signature)
          : libuvEd25519.sign(call.input, call.key);
        answer.then(call.resolve, call.reject);
      }
      return;
    }
    const target = this.leastBusy();
    const batch: Batch = { id: this.nextId++, calls, verifying };
    const keys: KeyObject[] = [];
    const raws: (Uint8Array | null)[] = [];
    const keyIndex = new Map<KeyObject, number>();
    const keyOf = new Uint16Array(calls.length);
    const inputs: string[] = new Array(calls.length);
    calls.forEach((call, i) => {
      let k = keyIndex.get(call.key);
      if (k === undefined) {
        k = keys.push(call.key) - 1;
        raws.push(this.sodium ? rawKey(call.key) : null);
        keyIndex.set(call.key, k);
      }
      keyOf[i] = k;
      inputs[i] = call.input;
    });
    let signatures: Uint8Array | undefined;
    let lengths: Uint32Array | undefined;
    if (verifying) {
      // One buffer for the batch's signatures: a Buffer view would carry its whole pool slab.
      lengths = new Uint32Array(calls.length);
      let total = 0;
      calls.forEach((call, i) => {
        lengths![i] = call.signature!.length;
        total += call.signature!.length;
      });
      signatures = new Uint8Array(total);
      let at = 0;
      for (const call of calls) {
        signatures.set(call.signature!, at);
        at += call.signature!.length;
      }
    }
    if (target.inFlight.size === 0) {
      clearTimeout(target.idle);
      target.worker.ref();
    }
    target.inFlight.set(batch.id, batch);
    try {
      target.worker.postMessage({ id: batch.id, keys, raws, keyOf, inputs, signatures, lengths });
    } catch (error) {
      target.inFlight.delete(batch.id);
      if (target.inFlight.size === 0) this.rest(target);
      for (const call of calls) call.reject(error as Error);
    }
  }

  /**
   * A worker for the calls to come, started a moment later: its constructor holds the event loop
   * for about 6 ms, which the interactive request that found the pool idle should not wait for. A
   * batch in the meantime starts one at once (`leastBusy`).
   */
  private startSoon(): void {
    if (this.startTimer) return;
    this.startTimer = setTimeout(() => {
      this.startTimer = undefined;
      if (this.workers.length === 0) this.rest(this.start());
    }, START_DELAY_MS);
    this.startTimer.unref();
  }

  private leastBusy(): PoolWorker {
    let best: PoolWorker | undefined;
    for (const w of this.workers) if (!best || w.inFlight.size < best.inFlight.size) best = w;
    if (best && (best.inFlight.size === 0 || this.workers.length >= this.size)) return best;
    return this.start();
  }

  private start(): PoolWorker {
    const pooled: PoolWorker = {
      worker: new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { sodium: this.sodium ?? null },
      }),
      online: false,
      inFlight: new Map(),
    };
    // Referenced only while it has work (`send`), so that an idle pool never keeps a process up.
    pooled.worker.unref();
    pooled.worker.once('online', () => {
      pooled.online = true;
    });
    pooled.worker.on('message', (answer: WorkerAnswer) => this.answered(pooled, answer));
    const lost = (error: Error): void => {
      clearTimeout(pooled.idle);
      const index = this.workers.indexOf(pooled);
      if (index >= 0) this.workers.splice(index, 1);
      for (const batch of pooled.inFlight.values()) for (const call of batch.calls) call.reject(error);
      pooled.inFlight.clear();
    };
    pooled.worker.on('error', lost);
    pooled.worker.on('exit', (code) => lost(new Error(`an Ed25519 worker ended (exit code ${code})`)));
    this.workers.push(pooled);
    return pooled;
  }

  /** No work left: the worker no longer keeps the process up, and ends if none comes. */
  private rest(pooled: PoolWorker): void {
    pooled.worker.unref();
    pooled.idle = setTimeout(() => {
      const index = this.workers.indexOf(pooled);
      if (index >= 0) this.workers.splice(index, 1);
      void pooled.worker.terminate();
    }, this.idleMs);
    pooled.idle.unref();
  }

  private answered(pooled: PoolWorker, { id, out, errors }: WorkerAnswer): void {
    const batch = pooled.inFlight.get(id);
    if (!batch) return;
    pooled.inFlight.delete(id);
    if (pooled.inFlight.size === 0) this.rest(pooled);
    const failed = new Map(errors);
    const signatures = batch.verifying ? undefined : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    batch.calls.forEach((call, i) => {
      const error = failed.get(i);
      if (error !== undefined) call.reject(new Error(error));
      else if (signatures) call.resolve(signatures.subarray(64 * i, 64 * i + 64));
      else call.resolve(out[i] === 1);
    });
  }
}

let shared: Ed25519Workers | undefined;

/** The process's pool (started lazily: no thread until the first call). */
export function ed25519Workers(): Ed25519Workers {
  shared ??= new Ed25519Workers();
  return shared;
}
