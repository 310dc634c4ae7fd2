// 16 random bytes = 128 bits: far beyond guessing (at 3 guesses a second, 10^30 years for even odds),
// and 22 characters keep the QR's short link (`https://host/api/liveness/l/<id>`) at QR version 4.
const ID_BYTES = 16;
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
