import { sha256Hex } from './sha256.js';
import { base64url, newLinkSecret } from './sessionId.js';
import { timingSafeEqual } from './http/timingSafeEqual.js';

const OWNER_KEY_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A new owner key: the secret the create answer gives the page that created a session (`ownerKey`),
 * and what changes the session afterwards (`Liveness-Owner-Key`: cancel). 128 random bits, base64url.
 * Unlike the short link's key it appears in no QR code, link or redirect, so seeing the code is not
 * holding it.
 */
export function newOwnerKey(): string {
  return base64url(newLinkSecret());
}

/** What a session keeps of its owner key: a SHA-256 (hex), so a store's contents cancel nothing. */
export async function ownerKeyHash(key: string): Promise<string> {
  return sha256Hex(`react-liveness-session:owner-key:${key}`);
}

/** The hash of a presented key, or `undefined` when it is missing or cannot be a key (never a store lookup for junk). */
export async function presentedOwnerKey(value: string | null): Promise<string | undefined> {
  return value !== null && OWNER_KEY_PATTERN.test(value) ? ownerKeyHash(value) : undefined;
}

/** Whether a presented key (its hash) is the session's own, compared in constant time. */
export function isOwner(presented: string | undefined, stored: string | undefined): boolean {
  return presented !== undefined && stored !== undefined && timingSafeEqual(presented, stored);
}
