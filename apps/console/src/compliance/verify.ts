import type { Trust } from './trust';
import {
  isProtocolError,
  peekJwsWebCrypto,
  verifyJwsWithKeysWebCrypto,
  verifyLedgerInclusionWebCrypto,
} from './webcrypto';

/** The outcome of one check made in this browser. */
export type Verdict =
  | {
      ok: true;
      /** Whether the chain starts from federation keys the officer pinned. */
      anchored: boolean;
      root?: string;
      treeSize?: number;
      leafHash?: string;
      checkpointSigner?: string;
      checkpointNote?: string;
      signerKid?: string;
    }
  | { ok: false; anchored: boolean; problem: string };

export interface LedgerClaim {
  seq: number;
  entry: string;
  treeSize: number;
  hashes: readonly string[];
  checkpointNote?: string | null;
  verifierKey?: string | null;
  origin: string;
}

function problemOf(error: unknown): string {
  if (isProtocolError(error)) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function holds(value: unknown, wanted: string): boolean {
  if (value === wanted) return true;
  if (Array.isArray(value)) return value.some((v) => holds(v, wanted));
  if (value && typeof value === 'object') return Object.values(value).some((v) => holds(v, wanted));
  return false;
}

/**
 * A signed consent act (receipt or withdrawal) of this node: its signature under a key that the
 * federation's statement for this node vouches for, the ledger entry that holds it, the entry's
 * leaf hash and path to the root, and the checkpoint's signature under a vouched key.
 */
export async function verifyConsentAct(
  act: { jws: string; ledger?: LedgerClaim | null },
  trust: Trust,
): Promise<Verdict> {
  const anchored = trust.pinStatus === 'PINNED';
  try {
    const keys = trust.vouched.get(trust.ownPartnerId);
    if (!keys)
      throw new Error(
        trust.statementErrors.get(trust.ownPartnerId) ?? 'no verified membership statement for this node',
      );
    const { ledger } = act;
    if (!ledger?.checkpointNote || !ledger.verifierKey)
      throw new Error('the act has no signed checkpoint yet');
    const { header } = await verifyJwsWithKeysWebCrypto(act.jws, keys);
    const leaf = JSON.parse(ledger.entry) as { data?: unknown };
    if (!holds(leaf.data, act.jws)) throw new Error('the ledger entry does not hold this signed act');
    const inclusion = await verifyLedgerInclusionWebCrypto(
      { ...ledger, checkpointNote: ledger.checkpointNote, verifierKey: ledger.verifierKey },
      { trustedKeys: keys },
    );
    return {
      ok: true,
      anchored,
      root: inclusion.root,
      treeSize: inclusion.checkpoint.size,
      leafHash: inclusion.leafHash,
      checkpointSigner: inclusion.signedBy,
      checkpointNote: ledger.checkpointNote,
      signerKid: String(header.kid),
    };
  } catch (error) {
    return { ok: false, anchored, problem: problemOf(error) };
  }
}

/** A purge receipt: signed by the recipient, under a key its federation statement vouches for. */
export async function verifyPurgeReceipt(jws: string, recipient: string, trust: Trust): Promise<Verdict> {
  const anchored = trust.pinStatus === 'PINNED';
  try {
    const keys = trust.vouched.get(recipient);
    if (!keys)
      throw new Error(
        trust.statementErrors.get(recipient) ?? `no verified membership statement for ${recipient}`,
      );
    const { header } = peekJwsWebCrypto(jws);
    if (header.typ !== 'concordia-purge-receipt+jwt')
      throw new Error(`not a purge receipt (${String(header.typ)})`);
    const { claims } = await verifyJwsWithKeysWebCrypto(jws, keys);
    if (claims.iss !== recipient) throw new Error(`the receipt is issued by ${String(claims.iss)}`);
    return { ok: true, anchored, signerKid: String(header.kid) };
  } catch (error) {
    return { ok: false, anchored, problem: problemOf(error) };
  }
}
