const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits from Web Crypto (works in Node and browsers). */
export function randomText(length: number, alphabet = ALPHABET): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let text = '';
  for (const byte of bytes) text += alphabet[byte % alphabet.length];
  return text;
}

/** `yyyymmddHHMMss` in UTC, the shape of real byted tokens and group ids. */
export function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Path of the simulated H5 page on the mock's origin. */
export const MOCK_H5_PATH = '/h5/liveness-face/authorization';
/** Where the page's buttons post the decision. */
export const MOCK_DECIDE_PATH = '/h5/liveness-face/decide';

// Real links with STS credentials run 600–1,000 characters; aim for the middle so QR tests are realistic.
const TARGET_LINK_LENGTH = 820;

/**
 * A link shaped like the older real ones: temporary STS credentials in the query. Every credential starts
 * with FAKE so nobody mistakes it for a real one (and so secret scanners in tests can find it).
 */
export function fakeH5Link(origin: string, bytedToken: string): string {
  const params: [string, string][] = [
    ['accessKeyId', `FAKEAKLT${randomText(24)}`],
    ['secretAccessKey', `FAKESK${randomText(34)}`],
    ['sessionToken', ''],
    ['configId', `FAKE-cfg-${randomText(8).toLowerCase()}-${randomText(12).toLowerCase()}`],
    ['region', 'ap-singapore-1'],
    ['bytedToken', bytedToken],
    ['lng', 'zh'],
  ];
  const build = () => `${origin}${MOCK_H5_PATH}?${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
  const room = Math.max(120, TARGET_LINK_LENGTH - build().length - 4);
  params[2]![1] = `FAKE${randomText(room)}`;
  return build();
}
