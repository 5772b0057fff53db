import { Injectable } from '@nestjs/common';
import type { Jwks, NoteVerifier } from '#protocol';

/**
 * Keys the ledger needs from elsewhere, set by their owners at start:
 * - the federation's checkpoint keys (and its log origin), from the federation client, so that
 *   acceptFederationCheckpoint can verify what it is given;
 * - the keys of the JWS embedded in entries (consent receipts, envelopes), from the member key
 *   directory, so that exports carry them for the offline verifier.
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
}
