import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals the node's private keys at rest: AES-256-GCM under a key derived with HKDF-SHA256 from
 * KEY_ENCRYPTION_SECRET. The key id is bound as additional data, so a sealed value cannot be moved
 * to another row. Format: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. The plaintext (a private
 * JWK) exists only in memory.
 */
export class KeySealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'concordia-partner-node', 'node-key-encryption/v1', 32),
    );
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Throws when the secret is not the one that sealed it, or the value or its row was altered. */
  open(sealed: string, associatedData: string): string {
    const [version, iv, tag, ciphertext, extra] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || !ciphertext || extra !== undefined)
      throw new Error('not a sealed key');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
