import { Worker } from 'node:worker_threads';
import type { VerifyExportReport } from '#ledger';
import type { Jwks } from '#protocol';

/** What the thread answers: the verifier's report, and the export's entries counted by kind. */
export interface VerifiedOffThread {
  report: VerifyExportReport;
  kinds: [kind: string, entries: number][];
}

/**
 * Verifies a ledger export (its text, as fetched) on a thread of its own, so that the federation's
 * export, the largest, is verified while this thread verifies the nodes'. The same pure verifier
 * (`verifyExport`, libs/ledger) runs there; only the export's text and the pinned keys cross.
 */
export function verifyExportOffThread(text: string, trustedKeys: Jwks): Promise<VerifiedOffThread> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./verify-thread.js', import.meta.url), {
      workerData: { text, trustedKeys },
    });
    worker.once('message', (answer: VerifiedOffThread) => resolve(answer));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the verifying thread exited with code ${code}`));
    });
  });
}
