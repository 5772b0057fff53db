import { Injectable } from '@nestjs/common';
import type { Jwks, NoteVerifier } from '#protocol';
import type { ExportedEntry, ExportedMessage } from '#ledger';

/** Signed messages kept as evidence elsewhere (sharing), carried by exports for the verifier. */
export interface LedgerEvidenceSource {
  /** The kept signed messages that these entries name by hash. */
  messages(entries: readonly ExportedEntry[]): Promise<ExportedMessage[]>;
  /** Extra keys they need (the federation's, which signed the carried membership statements). */
  keys(): Promise<Jwks>;
}

/**
 * Keys the ledger needs from elsewhere, set by their owners at start:
 * - the federation's checkpoint keys (and its log origin), from the federation client, so that
 *   acceptFederationCheckpoint can verify what it is given;
 * - the keys of the JWS embedded in entries (consent receipts, envelopes), from the member key
 *   directory, so that exports carry them for the offline verifier;
 * - the signed messages kept as evidence (received envelopes, purge receipts, the statements that
 *   vouched for their signers), from the sharing module, so that exports carry them too.
 */
@Injectable()
export class LedgerKeyring {
  private federation: { verifiers: NoteVerifier[]; origin?: string } = { verifiers: [] };
  private jwsSource: () => Jwks | Promise<Jwks> = () => ({ keys: [] });

  setFederationCheckpointKeys(verifiers: NoteVerifier[], origin?: string): void {
    this.federation = { verifiers: [...verifiers], origin };
  }

  federationCheckpointKeys(): { verifiers: NoteVerifier[]; origin?: string } {
    return this.federation;
  }

  setJwsKeySource(source: () => Jwks | Promise<Jwks>): void {
    this.jwsSource = source;
  }

  async jwsKeys(): Promise<Jwks> {
    return this.jwsSource();
  }

  setEvidenceSource(source: LedgerEvidenceSource): void {
    this.evidence = source;
  }

  evidenceSource(): LedgerEvidenceSource | undefined {
    return this.evidence;
  }

  private evidence?: LedgerEvidenceSource;
}
