// Hex strings: of bytes, of random bytes, of a SHA-256. Web Crypto only, so they run on Node and on edge
// runtimes alike.

/** Bytes as lower-case hex. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `byteCount` random bytes as hex: lease holders, slot ids. */
export function randomHex(byteCount: number): string {
  const bytes = new Uint8Array(byteCount);
  globalThis.crypto.getRandomValues(bytes);
  return hex(bytes);
}

/** SHA-256 of `data` (text as UTF-8). */
export async function sha256(data: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

/** SHA-256 of `data` (text as UTF-8) as hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  return hex(await sha256(data));
}
