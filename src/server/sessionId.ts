import { sha256 } from './sha256.js';
import { randomBytes } from './randomBytes.js';

// The short link's secret is 16 random bytes = 128 bits: far beyond guessing (at 3 guesses a second,
// 10^30 years for even odds). The session id is derived from it, one way, so the id (which travels in
// events, logs and the return URL) never opens the link, and the link alone finds its session.

const ID_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url without padding (RFC 4648 §5). By table: three of these are made for each create. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (i < bytes.length) {
    const two = i + 1 < bytes.length;
    const n = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + (two ? ALPHABET[(n >> 6) & 63]! : '');
  }
  return out;
}

/** Fresh random bytes for a short link's secret, from Web Crypto (Node and edge runtimes alike). */
export function newLinkSecret(): Uint8Array {
  return randomBytes(ID_BYTES);
}

const SESSION_ID_LABEL = new TextEncoder().encode('react-liveness-session:session-id:');

/** The session id that belongs to a short link's secret: SHA-256, cut to the secret's 128 bits. */
export async function sessionIdOf(secret: Uint8Array): Promise<string> {
  const input = new Uint8Array(SESSION_ID_LABEL.length + secret.length);
  input.set(SESSION_ID_LABEL);
  input.set(secret, SESSION_ID_LABEL.length);
  const digest = await sha256(input);
  return base64url(digest.slice(0, ID_BYTES));
}

/** Cheap shape check before any store lookup, so junk never reaches the store. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export const LINK_SECRET_BYTES = ID_BYTES;
