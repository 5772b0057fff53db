import { Injectable } from '@nestjs/common';
import { formatVerifierKey, noteVerifier, toPublicJwk } from '#protocol';
import type { LedgerSigner } from '#ledger';
import { KeysService } from '../keys/keys.service.js';

/**
 * The key that signs this node's checkpoints: the node's active Ed25519 signing key, the one the
 * federation publishes in its JWKS, so that `audit verify --keys <federation JWKS>` pins it. After
 * a rotation new checkpoints are signed by the new key; each stored checkpoint keeps the public key
 * that signed it, so older ones still verify.
 *
 * TODO(keys): KeysService keeps private keys to itself and has no note-signing method yet; we take
 * the key through requestSigner(), as the federation client does. A `signNote(text)` (or
 * `checkpointSigner()`) on KeysService would be the cleaner seam.
 */
@Injectable()
export class LedgerSigningKey {
  constructor(private readonly keys: KeysService) {}

  async signer(name: string): Promise<LedgerSigner> {
    const { signingKey } = await this.keys.requestSigner();
    return { name, privateJwk: signingKey };
  }

  /** The C2SP verifier key string of the current signer. */
  async verifierKey(name: string): Promise<string> {
    const signer = await this.signer(name);
    return formatVerifierKey(noteVerifier(signer.name, toPublicJwk(signer.privateJwk)));
  }
}
