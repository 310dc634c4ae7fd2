// Base64 without `Buffer` or `btoa` (the server half runs on edge runtimes too, and `btoa` needs a
// binary string as large as the file): written straight into the request body, read straight out of it.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));

/** The length of `size` bytes in base64, with padding. */
export function base64Length(size: number): number {
  return Math.ceil(size / 3) * 4;
}

/** Writes `bytes` as base64 into `out` from `at`; returns where it ended. */
export function writeBase64(bytes: Uint8Array, out: Uint8Array, at: number): number {
  const whole = bytes.length - (bytes.length % 3);
  let o = at;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o] = CODES[n >>> 18]!;
    out[o + 1] = CODES[(n >>> 12) & 63]!;
    out[o + 2] = CODES[(n >>> 6) & 63]!;
    out[o + 3] = CODES[n & 63]!;
    o += 4;
  }
  const rest = bytes.length - whole;
  if (rest > 0) {
    const n = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o] = CODES[n >>> 18]!;
    out[o + 1] = CODES[(n >>> 12) & 63]!;
    out[o + 2] = rest === 2 ? CODES[(n >>> 6) & 63]! : 61;
    out[o + 3] = 61;
    o += 4;
  }
  return o;
}

let values: Int16Array | undefined;

/** Decodes base64 (padding optional, no whitespace); `undefined` when it is not base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!values) {
    values = new Int16Array(128).fill(-1);
    for (let i = 0; i < 64; i += 1) values[CODES[i]!] = i;
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end -= 1;
  if (text.length - end > 2 || end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < end; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? values[code]! : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}
