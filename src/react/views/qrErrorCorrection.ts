/** QR error-correction level, as qrcode.react names them. */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/**
 * Picks the error-correction level that keeps the code as coarse as possible. Module size, not
 * redundancy, is what decides whether a cheap phone camera reads a code on a screen (bench/qr.mjs):
 * QR version 4 (33 modules) holds 46 bytes at Q, 62 at M and 78 at L, so the server's short link
 * (~60 characters) stays at version 4, and anything longer gets L, the fewest modules.
 * qrcode.react still raises the level when that fits in the same version.
 */
export function qrErrorCorrection(text: string): QrLevel {
  if (text.length <= 46) return 'Q';
  if (text.length <= 62) return 'M';
  return 'L';
}
