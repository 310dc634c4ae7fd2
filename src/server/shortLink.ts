import { base64url, LINK_SECRET_BYTES } from './sessionId.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64URL_KEY = /^[A-Za-z0-9_-]{22}$/;
const BASE32_KEY = /^[A-Za-z2-7]{26}$/;

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += BASE32[(value << (5 - bits)) & 31];
  return text;
}

function fromBase32(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of text.toUpperCase()) {
    value = ((value << 5) | BASE32.indexOf(char)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return bytes.length === LINK_SECRET_BYTES ? new Uint8Array(bytes) : undefined;
}

function fromBase64url(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return binary.length === LINK_SECRET_BYTES ? Uint8Array.from(binary, (char) => char.charCodeAt(0)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key in the short link's path. Mixed case (base64url, 22 characters) by default; with `uppercase`,
 * base32 (26 characters, A–Z and 2–7), so the whole upper-cased URL fits a QR code's alphanumeric mode.
 */
export function linkKey(secret: Uint8Array, uppercase: boolean): string {
  return uppercase ? base32(secret) : base64url(secret);
}

/**
 * The secret a key stands for, in either form; base32 case-insensitively (a router or a rewrite may
 * lower-case the path). `undefined` for anything else.
 */
export function secretOfKey(key: string): Uint8Array | undefined {
  if (BASE64URL_KEY.test(key)) return fromBase64url(key);
  if (BASE32_KEY.test(key)) return fromBase32(key);
  return undefined;
}

/**
 * The short URL: `{public base}{basePath}/l/{key}`, all upper case with `uppercase` (scheme and host are
 * case-insensitive; the path is matched case-insensitively by the handler, not by every router).
 */
export function shortLinkUrl(publicBase: string, basePath: string, key: string, uppercase: boolean): string {
  const prefix = `${publicBase}${basePath}/l/`;
  return uppercase ? `${prefix.toUpperCase()}${key}` : `${prefix}${key}`;
}
