// Random bytes for secrets and ids, drawn from a pool that Web Crypto fills 4 KiB at a time. Each
// `getRandomValues` call costs Node a few microseconds of set-up whatever its size, and a create took
// two or three (issue 27); Node's own `randomUUID` pools the same way. A byte is handed out once:
// every call gets a copy of bytes no other call got, and the pool is refilled before it runs out.
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` (at most 4096) fresh random bytes. */
export function randomBytes(size: number): Uint8Array {
  if (size > POOL_BYTES) throw new RangeError('randomBytes: at most 4096 bytes at a time.');
  if (offset + size > POOL_BYTES) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  const bytes = pool.slice(offset, offset + size);
  // Never handed out again, even if something later reads the pool: wiped as it goes.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}

/** `size` fresh random bytes as lower-case hex. */
export function randomHex(size: number): string {
  return Array.from(randomBytes(size), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
