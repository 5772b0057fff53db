import { parentPort, workerData } from 'node:worker_threads';
import { verifyExport, type LedgerExport } from '#ledger';
import type { Jwks } from '#protocol';
import type { VerifiedOffThread } from './verify-off-thread.js';

// The thread started by verifyExportOffThread: verify, count the kinds, answer once. A failed
// verification throws here and reaches the caller as the worker's error.
const { text, trustedKeys } = workerData as { text: string; trustedKeys: Jwks };
const doc = JSON.parse(text) as LedgerExport;
const report = verifyExport(doc, { trustedKeys });
const kinds = new Map<string, number>();
for (const entry of doc.entries) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
const answer: VerifiedOffThread = { report, kinds: [...kinds] };
parentPort!.postMessage(answer);
