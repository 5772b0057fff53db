import { Injectable } from '@nestjs/common';
import { formatVerifierKey, noteVerifier, toPublicJwk } from '#protocol';
import type { LedgerSigner } from '#ledger';
import { KeysService } from '../keys/keys.service.js';

/**
 * The key that signs this node's checkpoints: the node's active Ed25519 signing key, the one the
 * federation publishes in its JWKS, so that `audit verify --keys <federation JWKS>` pins it. After
 * a rotation new checkpoints are signed by the new key; each stored checkpoint keeps the public key
 * that signed it, so older ones still verify.
 */
@Injectable()
export class LedgerSigningKey {
  constructor(private readonly keys: KeysService) {}

  signer(name: string): Promise<LedgerSigner> {
    return this.keys.noteSigner(name);
  }

  /** The C2SP verifier key string of the current signer. */
  async verifierKey(name: string): Promise<string> {
    const signer = await this.signer(name);
    return formatVerifierKey(noteVerifier(signer.name, toPublicJwk(signer.privateJwk)));
  }
}
