import { sha256 } from '../sha256.js';
import { base64url } from '../sessionId.js';

/**
 * The cookie that ties a QR code's short link to the first phone that opened it. Its value is a random
 * device token; sessions store only its SHA-256, so a store dump does not hand out working cookies.
 */
export const DEVICE_COOKIE = 'liveness_device';
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The device token the request carries, if it is one of ours. */
export function deviceTokenOf(request: Request): string | undefined {
  for (const part of (request.headers.get('Cookie') ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    const value = rest.join('=');
    if (name === DEVICE_COOKIE && TOKEN.test(value)) return value;
  }
  return undefined;
}

export function newDeviceToken(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return base64url(bytes);
}

export async function deviceHash(token: string): Promise<string> {
  return base64url(await sha256(`react-liveness-session:device:${token}`));
}

/**
 * `Set-Cookie` for the device token: `HttpOnly` (no script reads it), `SameSite=Lax` (sent on the
 * top-level navigation a scan is), scoped to the short link's path prefix as the phone sees it, and
 * `Secure` whenever the short link is https.
 */
export function deviceCookieHeader(token: string, qrUrl: string, maxAgeSeconds: number): string {
  const url = new URL(qrUrl);
  const cut = url.pathname.toLowerCase().lastIndexOf('/l/');
  const path = cut > 0 ? url.pathname.slice(0, cut) : '/';
  return `${DEVICE_COOKIE}=${token}; Path=${path}; Max-Age=${Math.max(1, Math.ceil(maxAgeSeconds))}; HttpOnly; SameSite=Lax${url.protocol === 'https:' ? '; Secure' : ''}`;
}
