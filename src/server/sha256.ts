// SHA-256 for ids and keys (session ids, owner keys, client ids, idempotency records). Web Crypto's
// `digest` is asynchronous: on Node each call is a trip to the libuv thread pool and back, and the
// three a create makes were its largest single cost (issue 27: more than a tenth of its CPU). Where
// Node's own crypto is at hand (`process.getBuiltinModule`, Node ≥ 20.16, and runtimes that offer
// it), a short input is hashed in place; elsewhere (edge runtimes, older Node), and for large inputs
// (an uploaded file: hashed off the main thread, as before), by Web Crypto. The bytes are the same.

interface NodeHashing {
  createHash(algorithm: 'sha256'): {
    update(data: string | Uint8Array): { digest(): Uint8Array; digest(encoding: 'hex'): string };
  };
  /** One-shot hashing (Node ≥ 20.12): no Hash object per call, a third of `createHash`'s cost for an id. */
  hash?: { (algorithm: 'sha256', data: string | Uint8Array, encoding: 'buffer'): Uint8Array; (algorithm: 'sha256', data: string | Uint8Array, encoding: 'hex'): string };
}

/** Above this, an input is hashed off the main thread: hashing it in place would hold every other request. */
const IN_PLACE_MAX_BYTES = 64 * 1024;

function builtinCrypto(): NodeHashing | undefined {
  try {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const crypto = process?.getBuiltinModule?.('node:crypto') as Partial<NodeHashing> | undefined;
    return typeof crypto?.createHash === 'function' ? (crypto as NodeHashing) : undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = builtinCrypto();
const encoder = new TextEncoder();

/**
 * The SHA-256 of `data` (text as UTF-8). `hashing` is Node's crypto when there is one; tests pass
 * `undefined` to check Web Crypto's path gives the same bytes.
 */
export async function sha256(data: string | Uint8Array, hashing: NodeHashing | undefined = nodeCrypto): Promise<Uint8Array> {
  // Node hashes text as UTF-8 itself (at most three bytes for each UTF-16 unit of the string).
  if (hashing && (typeof data === 'string' ? data.length * 3 : data.byteLength) <= IN_PLACE_MAX_BYTES) {
    return new Uint8Array(hashing.hash ? hashing.hash('sha256', data, 'buffer') : hashing.createHash('sha256').update(data).digest());
  }
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', (typeof data === 'string' ? encoder.encode(data) : data) as BufferSource));
}

/** Lower-case hex of `bytes`. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The SHA-256 of `data` in lower-case hex. */
export async function sha256Hex(data: string | Uint8Array, hashing: NodeHashing | undefined = nodeCrypto): Promise<string> {
  if (hashing && (typeof data === 'string' ? data.length * 3 : data.byteLength) <= IN_PLACE_MAX_BYTES) {
    return hashing.hash ? hashing.hash('sha256', data, 'hex') : hashing.createHash('sha256').update(data).digest('hex');
  }
  return hex(await sha256(data, undefined));
}
