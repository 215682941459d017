/**
 * API key secrets: random, recognisable by their prefix (so a leaked one is found by secret scanners), shown
 * once at creation and stored only as their SHA-256 (a fast hash is enough for 256 random bits: there is
 * nothing to guess from a dictionary).
 */
import { createHash, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'ann_';

export interface NewSecret {
  readonly id: string;
  /** `ann_` and 43 base64url characters (32 random bytes). */
  readonly secret: string;
  readonly secretSha256: string;
}

export function newSecret(): NewSecret {
  const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { id: `k${randomBytes(6).toString('hex')}`, secret, secretSha256: sha256(secret) };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
