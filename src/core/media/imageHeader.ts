import { fourCc, u16be, u16le, u32be, u32le } from './bytes.js';

/** What a header tells without decoding a pixel. */
export interface MediaHeader {
  width?: number;
  height?: number;
  durationMs?: number;
  fps?: number;
}

/**
 * A header parser's answer: the header, `'more'` when the bytes so far end before it does (the caller
 * may read on), or `undefined` when the bytes are not a readable header of the format.
 */
export type HeaderAnswer = MediaHeader | 'more' | undefined;

const more = (bytes: Uint8Array, end: number): 'more' | undefined => (end > bytes.length ? 'more' : undefined);

function sized(width: number | undefined, height: number | undefined): MediaHeader | undefined {
  return width && height ? { width, height } : undefined;
}

// Start-of-frame markers: baseline, extended, progressive, lossless, in Huffman and arithmetic coding.
// C4 (DHT), C8 (JPG) and CC (DAC) sit in the same range but are not frames.
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * JPEG: the frame header (SOFn) gives height and width; it comes after the APPn segments (EXIF, ICC
 * profiles: up to 64 KiB each, several of them), which are skipped by their lengths. A scan (SOS) or
 * the end (EOI) before any frame header is not a readable JPEG.
 */
export function jpegHeader(bytes: Uint8Array): HeaderAnswer {
  let at = 2;
  for (;;) {
    if (at + 2 > bytes.length) return 'more';
    if (bytes[at] !== 0xff) return undefined;
    let marker = bytes[at + 1]!;
    // Any number of 0xFF fill bytes may precede a marker.
    while (marker === 0xff) {
      at += 1;
      if (at + 2 > bytes.length) return 'more';
      marker = bytes[at + 1]!;
    }
    at += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda || marker === 0x00) return undefined;
    const length = u16be(bytes, at);
    if (length === undefined) return 'more';
    if (length < 2) return undefined;
    if (SOF.has(marker)) {
      // length, precision, height, width
      const height = u16be(bytes, at + 3);
      const width = u16be(bytes, at + 5);
      if (width === undefined || height === undefined) return 'more';
      // A height of 0 is announced later (DNL): no service-side checker reads those; neither does this.
      return sized(width, height);
    }
    at += length;
  }
}

/** Whether a JPEG ends: its EOI marker (FF D9) after the frame, possibly followed by a trailer (Samsung, MPF). */
export function jpegComplete(bytes: Uint8Array): boolean {
  // Entropy-coded data never holds FF D9 (an FF in it is followed by 00 or a restart marker), so the
  // last FF D9 of a complete file is its EOI; a file cut mid-scan has none after its header.
  for (let at = bytes.lastIndexOf(0xd9); at > 4; at = bytes.lastIndexOf(0xd9, at - 1)) {
    if (bytes[at - 1] === 0xff) return true;
  }
  return false;
}

/** PNG: the first chunk must be IHDR (width, height at bytes 16 and 20). */
export function pngHeader(bytes: Uint8Array): HeaderAnswer {
  if (bytes.length < 24) return 'more';
  if (fourCc(bytes, 12) !== 'IHDR') return undefined;
  return sized(u32be(bytes, 16), u32be(bytes, 20));
}

/** Whether a PNG's chunks run, length by length, to an IEND chunk within the file. */
export function pngComplete(bytes: Uint8Array): boolean {
  let at = 8;
  for (;;) {
    const length = u32be(bytes, at);
    const type = fourCc(bytes, at + 4);
    if (length === undefined || type === undefined) return false;
    const end = at + 12 + length;
    if (end > bytes.length) return false;
    if (type === 'IEND') return true;
    at = end;
  }
}

/** GIF: the logical screen's width and height (little-endian, bytes 6 and 8). */
export function gifHeader(bytes: Uint8Array): HeaderAnswer {
  if (bytes.length < 10) return 'more';
  return sized(u16le(bytes, 6), u16le(bytes, 8));
}

/** Whether a GIF ends with its trailer (0x3B). */
export function gifComplete(bytes: Uint8Array): boolean {
  return bytes[bytes.length - 1] === 0x3b;
}

/** WebP: the canvas of an extended file (VP8X), or the frame of a lossy (VP8) or lossless (VP8L) one. */
export function webpHeader(bytes: Uint8Array): HeaderAnswer {
  if (bytes.length < 30) return 'more';
  const chunk = fourCc(bytes, 12);
  if (chunk === 'VP8X') {
    const width = 1 + (bytes[24]! | (bytes[25]! << 8) | (bytes[26]! << 16));
    const height = 1 + (bytes[27]! | (bytes[28]! << 8) | (bytes[29]! << 16));
    return { width, height };
  }
  if (chunk === 'VP8 ') {
    // Frame tag (3 bytes), then the start code 9D 01 2A, then 14-bit width and height.
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return undefined;
    return sized(u16le(bytes, 26)! & 0x3fff, u16le(bytes, 28)! & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return undefined;
    const bits = u32le(bytes, 21)!;
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return undefined;
}

/** Whether a WebP holds as many bytes as its RIFF header says. */
export function webpComplete(bytes: Uint8Array): boolean {
  const size = u32le(bytes, 4);
  return size !== undefined && size + 8 <= bytes.length;
}

/** BMP: width and height from the DIB header (OS/2's 16-bit one, or Windows' signed 32-bit ones). */
export function bmpHeader(bytes: Uint8Array): HeaderAnswer {
  if (bytes.length < 26) return 'more';
  const header = u32le(bytes, 14)!;
  if (header === 12) return sized(u16le(bytes, 18), u16le(bytes, 20));
  const width = u32le(bytes, 18)! | 0;
  // A negative height is a top-down bitmap.
  const height = Math.abs(u32le(bytes, 22)! | 0);
  return width > 0 ? sized(width, height) : undefined;
}

/** Whether a BMP holds the bytes its file header announces (a size of 0 is allowed by the format). */
export function bmpComplete(bytes: Uint8Array): boolean {
  const size = u32le(bytes, 2) ?? 0;
  const pixels = u32le(bytes, 10) ?? 0;
  return size <= bytes.length && pixels < bytes.length;
}

const TIFF_WIDTH = 256;
const TIFF_HEIGHT = 257;
const TIFF_STRIP_OFFSETS = 273;
const TIFF_STRIP_BYTES = 279;
const TIFF_TILE_OFFSETS = 324;
const TIFF_TILE_BYTES = 325;

interface TiffEntry {
  type: number;
  count: number;
  /** Where the values are: in the entry itself when they fit in 4 bytes, else at the offset it names. */
  at: number;
}

/** The first IFD's entries by tag, or `'more'`/`undefined` as for a header. */
function tiffEntries(bytes: Uint8Array): Map<number, TiffEntry> | 'more' | undefined {
  const little = bytes[0] === 0x49;
  const u16 = little ? u16le : u16be;
  const u32 = little ? u32le : u32be;
  const ifd = u32(bytes, 4);
  if (ifd === undefined) return 'more';
  if (ifd < 8) return undefined;
  const count = u16(bytes, ifd);
  if (count === undefined) return more(bytes, ifd + 2);
  if (count === 0) return undefined;
  if (ifd + 2 + count * 12 > bytes.length) return 'more';
  const entries = new Map<number, TiffEntry>();
  for (let index = 0; index < count; index += 1) {
    const at = ifd + 2 + index * 12;
    const type = u16(bytes, at + 2)!;
    const values = u32(bytes, at + 4)!;
    const width = type === 3 ? 2 : type === 4 ? 4 : 0;
    entries.set(u16(bytes, at)!, { type, count: values, at: width * values <= 4 ? at + 8 : u32(bytes, at + 8)! });
  }
  return entries;
}

function tiffValues(bytes: Uint8Array, entry: TiffEntry | undefined, limit = Infinity): number[] | undefined {
  if (!entry || (entry.type !== 3 && entry.type !== 4)) return undefined;
  const little = bytes[0] === 0x49;
  const read = entry.type === 3 ? (little ? u16le : u16be) : little ? u32le : u32be;
  const step = entry.type === 3 ? 2 : 4;
  const values: number[] = [];
  for (let index = 0; index < Math.min(entry.count, limit); index += 1) {
    const value = read(bytes, entry.at + index * step);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/**
 * TIFF (classic, either byte order): ImageWidth and ImageLength of the first image (IFD0). The IFD may
 * sit anywhere, often at the end: without the whole file this answers `'more'`.
 */
export function tiffHeader(bytes: Uint8Array): HeaderAnswer {
  const entries = tiffEntries(bytes);
  if (entries === 'more' || entries === undefined) return entries;
  return sized(tiffValues(bytes, entries.get(TIFF_WIDTH), 1)?.[0], tiffValues(bytes, entries.get(TIFF_HEIGHT), 1)?.[0]);
}

/** Whether every strip (or tile) of the first image lies inside the file. */
export function tiffComplete(bytes: Uint8Array): boolean {
  const entries = tiffEntries(bytes);
  if (entries === 'more' || entries === undefined) return false;
  const offsets = tiffValues(bytes, entries.get(TIFF_STRIP_OFFSETS) ?? entries.get(TIFF_TILE_OFFSETS));
  const counts = tiffValues(bytes, entries.get(TIFF_STRIP_BYTES) ?? entries.get(TIFF_TILE_BYTES));
  if (!offsets || !counts || offsets.length !== counts.length || offsets.length === 0) return false;
  return offsets.every((offset, index) => offset + counts[index]! <= bytes.length);
}
