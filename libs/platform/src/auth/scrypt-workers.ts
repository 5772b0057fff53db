import { scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * scrypt on dedicated low-priority threads. Each worker runs one scrypt at a time and, on Linux,
 * lowers its own thread's priority (nice 10), so that when the cores are busy the event loop that
 * answers every other request wins over password hashing. Workers are started lazily, at most
 * `size` of them (the password-check limiter's concurrency), and never keep the process alive;
 * a call that finds them all busy uses libuv's pool as before.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
try {
  // /proc/thread-self names this thread's id; setpriority on a thread id renices that thread only.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, 10);
} catch {}
parentPort.on('message', ({ password, salt, keylen, options }) => {
  try {
    parentPort.postMessage({ key: scryptSync(password, Buffer.from(salt), keylen, options) });
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
});
`;

interface ScryptJob {
  password: string;
  salt: Buffer;
  keylen: number;
  options: ScryptOptions;
}

export class ScryptWorkers {
  private readonly idle: Worker[] = [];
  private started = 0;

  constructor(private readonly size: number) {}

  run(job: ScryptJob): Promise<Buffer> {
    const worker = this.idle.pop() ?? (this.started < this.size ? this.start() : undefined);
    if (!worker) return libuvScrypt(job);
    return new Promise<Buffer>((resolve, reject) => {
      const done = (answer: { key?: Uint8Array; error?: string }) => {
        worker.off('error', failed);
        worker.unref();
        this.idle.push(worker);
        if (answer.key) resolve(Buffer.from(answer.key));
        else reject(new Error(answer.error ?? 'scrypt failed'));
      };
      const failed = (error: Error) => {
        worker.off('message', done);
        this.started--;
        reject(error);
      };
      worker.once('message', done);
      worker.once('error', failed);
      // Referenced while it works, so a pending login keeps the process up like any I/O.
      worker.ref();
      worker.postMessage(job);
    });
  }

  private start(): Worker {
    this.started++;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    return worker;
  }
}

const libuvScrypt = ({ password, salt, keylen, options }: ScryptJob): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
