/**
 * The file formats a LivenessFace asset may have, told apart by their first bytes ("magic bytes"),
 * never by a file name or a `Content-Type`, which the sender chooses.
 *
 * From Anyfast's public docs (checked 2026-12-07, documented): images JPG, PNG, GIF, WebP, BMP, TIFF,
 * HEIC, HEIF; videos MP4, MOV. Audio (MP3, WAV) is documented too, but reference assets of a person are
 * photos and short videos: it is not accepted here.
 */
export const MediaFormat = {
  jpeg: 'jpeg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  bmp: 'bmp',
  tiff: 'tiff',
  heic: 'heic',
  heif: 'heif',
  mp4: 'mp4',
  mov: 'mov',
} as const;
export type MediaFormat = (typeof MediaFormat)[keyof typeof MediaFormat];

/** An asset's kind, as `CreateAsset` names it (`AssetType`) in lower case. */
export type AssetKind = 'image' | 'video';

/** The MIME type of each format: what the `data:` URI sent upstream says, and what `accept` lists. */
export const MEDIA_MIME: Readonly<Record<MediaFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  heic: 'image/heic',
  heif: 'image/heif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
};

export function kindOf(format: MediaFormat): AssetKind {
  return format === 'mp4' || format === 'mov' ? 'video' : 'image';
}

/** How many leading bytes {@link sniffFormat} needs to decide (an ISO-BMFF `ftyp` box's brands included). */
export const SNIFF_BYTES = 64;

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

// HEIF brands (ISO/IEC 23008-12): `heic`/`heix` and the sequence brands `hevc`/`hevx` are HEVC-coded
// (what phones write); `mif1`/`msf1` are the format's generic brands. AVIF shares `mif1`: it is refused
// by its own brands, since the docs do not list it.
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
// MP4 (ISO/IEC 14496-14) and its usual brands; `qt  ` is QuickTime (MOV). 3GPP and others are not listed.
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4VP', 'mmp4', 'dash', 'f4v ']);
// QuickTime files from before `ftyp` existed begin with one of these boxes.
const OLD_QUICKTIME_BOXES = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

function isoFormat(bytes: Uint8Array): MediaFormat | undefined {
  const size = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const type = ascii(bytes, 4, 4);
  if (type !== 'ftyp') return OLD_QUICKTIME_BOXES.has(type) && (size >= 8 || size <= 1) ? 'mov' : undefined;
  if (size < 16) return undefined;
  const major = ascii(bytes, 8, 4);
  const brands = [major];
  for (let at = 16; at + 4 <= Math.min(size, bytes.length); at += 4) brands.push(ascii(bytes, at, 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return undefined;
  if (HEIC_BRANDS.has(major)) return 'heic';
  if (HEIF_BRANDS.has(major)) return brands.some((brand) => HEIC_BRANDS.has(brand)) ? 'heic' : 'heif';
  if (major === 'qt  ') return 'mov';
  if (MP4_BRANDS.has(major)) return 'mp4';
  // A major brand we do not know, but compatible with one we do (e.g. `MSNV` with `mp42`).
  if (brands.some((brand) => MP4_BRANDS.has(brand))) return 'mp4';
  return undefined;
}

/**
 * The format of a file from its first bytes (give it at least {@link SNIFF_BYTES}, or the whole file
 * when shorter), or `undefined` when it is none of the accepted ones: an SVG, a PDF, an HTML page, a ZIP,
 * an executable or a renamed text file all end here.
 */
export function sniffFormat(bytes: Uint8Array): MediaFormat | undefined {
  if (bytes.length < 12) return undefined;
  const [b0, b1, b2, b3] = bytes as unknown as [number, number, number, number];
  if (b0 === 0xff && b1 === 0xd8 && b2 === 0xff) return 'jpeg';
  if (b0 === 0x89 && ascii(bytes, 1, 7) === 'PNG\r\n\x1a\n') return 'png';
  const six = ascii(bytes, 0, 6);
  if (six === 'GIF87a' || six === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  // "BM" alone is two letters of text: the DIB header's size must be one the format defines too.
  if (b0 === 0x42 && b1 === 0x4d && bytes.length >= 18) {
    const header = bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24);
    return [12, 40, 52, 56, 64, 108, 124].includes(header) ? 'bmp' : undefined;
  }
  // Classic TIFF only (BigTIFF, `II+\0`, is not one of the documented formats).
  if ((b0 === 0x49 && b1 === 0x49 && b2 === 0x2a && b3 === 0) || (b0 === 0x4d && b1 === 0x4d && b2 === 0 && b3 === 0x2a)) return 'tiff';
  return isoFormat(bytes);
}
