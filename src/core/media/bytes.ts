// Little readers for the header parsers: each returns `undefined` past the end of what has arrived, so
// a parser can tell "not enough bytes yet" from "not this format".

export const u8 = (bytes: Uint8Array, at: number): number | undefined => (at >= 0 && at < bytes.length ? bytes[at] : undefined);

export function u16be(bytes: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 2 <= bytes.length ? (bytes[at]! << 8) | bytes[at + 1]! : undefined;
}

export function u16le(bytes: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 2 <= bytes.length ? bytes[at]! | (bytes[at + 1]! << 8) : undefined;
}

export function u32be(bytes: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 4 <= bytes.length ? ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0 : undefined;
}

export function u32le(bytes: Uint8Array, at: number): number | undefined {
  return at >= 0 && at + 4 <= bytes.length ? (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0 : undefined;
}

/** Four ASCII characters (a chunk or box type), or `undefined` past the end. */
export function fourCc(bytes: Uint8Array, at: number): string | undefined {
  return at >= 0 && at + 4 <= bytes.length ? String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!) : undefined;
}

/** The chunks as one array (one copy). */
export function concatBytes(chunks: readonly Uint8Array[], total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === total) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
