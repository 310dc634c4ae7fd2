const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A `Name` for a new asset, unique in its group: the upstream answers a duplicate name in a group with a
 * 404, exactly as if the group did not exist (reported by public clients), so names are never reused
 * by accident. 50 random bits after the time: a collision would need two uploads in the same second
 * to draw the same 10 characters. Short and plain (it shows in BytePlus's console).
 */
export function assetName(now: number): string {
  const time = new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const bytes = new Uint8Array(10);
  globalThis.crypto.getRandomValues(bytes);
  return `liveness-${time}-${Array.from(bytes, (byte) => ALPHABET[byte & 31]).join('')}`;
}
