// 24 random bytes = 192 bits: far beyond guessing, and short enough for a small QR code.
const ID_BYTES = 24;
const ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A new unguessable session id. It is the only capability the phone and the browser hold, so it comes
 * from Web Crypto (works on Node and edge runtimes) and is never derived from the byted token.
 */
export function newSessionId(): string {
  const bytes = new Uint8Array(ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** Cheap shape check before any store lookup, so junk never reaches the store. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
