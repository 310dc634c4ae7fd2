/** QR error-correction level, as qrcode.react names them. */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

/**
 * Picks the error-correction level by text length: short links (the server's `qrUrl`) afford more
 * redundancy; 600–1,000 character links with temporary credentials need the lowest level, or the
 * code gets too dense for a cheap phone camera at a normal size.
 */
export function qrErrorCorrection(text: string): QrLevel {
  if (text.length <= 120) return 'Q';
  if (text.length <= 400) return 'M';
  return 'L';
}
