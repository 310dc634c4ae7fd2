// Small files of every accepted format (and hostile ones), built byte by byte so each test says exactly
// what a file's header claims. Their pixel data is filler: the checks read headers, and the mock
// upstream does not decode. Pure TypeScript: the stories (in a browser) use them too.
import { samplePhoto } from '../../src/testing/samplePhoto.js';

export { samplePhoto };

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

export function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of arrays) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const be16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >>> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** A PNG whose IHDR claims `width` × `height` (its pixel data does not match a huge claim: that is the point). */
export function png(width: number, height: number, options: { truncate?: number } = {}): Uint8Array {
  if (width * height <= 4_000_000) {
    const bytes = samplePhoto({ width, height });
    return options.truncate ? bytes.subarray(0, bytes.length - options.truncate) : bytes;
  }
  // A "zip bomb" header: IHDR says gigapixels, one tiny IDAT follows.
  const small = samplePhoto({ width: 8, height: 8 });
  const bytes = small.slice();
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

/** A JPEG: SOI, an APP0, optional EXIF-sized filler and a comment, a baseline frame header, a scan, EOI. */
export function jpeg(width: number, height: number, options: { comment?: string; appBytes?: number; scanBytes?: number; truncate?: boolean; progressive?: boolean } = {}): Uint8Array {
  const segment = (marker: number, body: Uint8Array | number[]) => {
    const data = body instanceof Uint8Array ? body : Uint8Array.from(body);
    return concat([0xff, marker], be16(data.length + 2), data);
  };
  const app0 = segment(0xe0, concat(ascii('JFIF\0'), [1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const apps: Uint8Array[] = [];
  for (let left = options.appBytes ?? 0; left > 0; left -= 65000) apps.push(segment(0xe1, new Uint8Array(Math.min(left, 65000)).fill(0x45)));
  const comment = options.comment ? segment(0xfe, ascii(options.comment)) : new Uint8Array(0);
  const frame = segment(options.progressive ? 0xc2 : 0xc0, [8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = segment(0xda, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]);
  const scan = new Uint8Array(options.scanBytes ?? 2048).fill(0x5a);
  const body = concat([0xff, 0xd8], app0, ...apps, comment, frame, sos, scan);
  return options.truncate ? body : concat(body, [0xff, 0xd9]);
}

export function gif(width: number, height: number, options: { truncate?: boolean } = {}): Uint8Array {
  const body = concat(ascii('GIF89a'), le16(width), le16(height), [0, 0, 0], [0x2c, 0, 0, 0, 0, ...le16(width), ...le16(height), 0, 2, 2, 0x44, 0x01, 0]);
  return options.truncate ? body : concat(body, [0x3b]);
}

export function webp(width: number, height: number, kind: 'VP8' | 'VP8L' | 'VP8X' = 'VP8X', options: { truncate?: boolean } = {}): Uint8Array {
  let chunk: Uint8Array;
  if (kind === 'VP8X') {
    chunk = concat(
      ascii('VP8X'),
      le32(10),
      [0, 0, 0, 0],
      [(width - 1) & 0xff, ((width - 1) >> 8) & 0xff, ((width - 1) >> 16) & 0xff],
      [(height - 1) & 0xff, ((height - 1) >> 8) & 0xff, ((height - 1) >> 16) & 0xff],
    );
  } else if (kind === 'VP8') {
    const data = concat([0x10, 0x02, 0x00], [0x9d, 0x01, 0x2a], le16(width), le16(height), new Uint8Array(20));
    chunk = concat(ascii('VP8 '), le32(data.length), data);
  } else {
    const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
    const data = concat([0x2f], le32(bits >>> 0), new Uint8Array(20));
    chunk = concat(ascii('VP8L'), le32(data.length), data);
  }
  const size = 4 + chunk.length;
  const whole = concat(ascii('RIFF'), le32(size), ascii('WEBP'), chunk);
  return options.truncate ? whole.subarray(0, whole.length - 6) : whole;
}

export function bmp(width: number, height: number, options: { truncate?: boolean } = {}): Uint8Array {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixels = rowBytes * Math.abs(height);
  const size = 54 + pixels;
  const header = concat(ascii('BM'), le32(size), [0, 0, 0, 0], le32(54), le32(40), le32(width), le32(height >>> 0), le16(1), le16(24), le32(0), le32(pixels), le32(2835), le32(2835), le32(0), le32(0));
  const body = concat(header, new Uint8Array(pixels));
  // A header that claims more bytes than follow is what a cut file looks like.
  return options.truncate ? body.subarray(0, body.length - 100) : body;
}

/** A TIFF (either byte order) with one strip; `ifdAtEnd` puts the directory after the pixels, as many writers do. */
export function tiff(width: number, height: number, options: { bigEndian?: boolean; ifdAtEnd?: boolean; truncate?: boolean } = {}): Uint8Array {
  const w16 = options.bigEndian ? be16 : le16;
  const w32 = options.bigEndian ? be32 : le32;
  const stripBytes = 4096;
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, 0],
    [277, 3, 1, 1],
    [278, 4, 1, height],
    [279, 4, 1, stripBytes],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const ifdOffset = options.ifdAtEnd ? 8 + stripBytes : 8;
  const stripOffset = options.ifdAtEnd ? 8 : 8 + ifdSize;
  entries[5]![3] = stripOffset;
  const ifd = concat(w16(entries.length), ...entries.map(([tag, type, count, value]) => concat(w16(tag), w16(type), w32(count), type === 3 ? concat(w16(value), [0, 0]) : w32(value))), w32(0));
  const head = concat(options.bigEndian ? ascii('MM') : ascii('II'), w16(42), w32(ifdOffset));
  const strip = new Uint8Array(stripBytes).fill(0x80);
  const whole = options.ifdAtEnd ? concat(head, strip, ifd) : concat(head, ifd, strip);
  return options.truncate ? whole.subarray(0, options.ifdAtEnd ? whole.length : whole.length - 100) : whole;
}

function box(type: string, ...parts: (Uint8Array | number[])[]): Uint8Array {
  const body = concat(...parts);
  return concat(be32(8 + body.length), ascii(type), body);
}

const fullBox = (type: string, version: number, flags: number, ...parts: (Uint8Array | number[])[]) => box(type, [version, (flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff], ...parts);

/**
 * A HEIC as phones write it: the primary item (1) is a grid whose `ispe` is the whole picture; a tile
 * (2) and a thumbnail (3) have their own, smaller `ispe`.
 */
export function heic(width: number, height: number, options: { brand?: string; truncate?: boolean; noPrimary?: boolean } = {}): Uint8Array {
  const brand = options.brand ?? 'heic';
  const ftyp = box('ftyp', ascii(brand), be32(0), ascii('mif1'), ascii(brand === 'avif' ? 'avif' : 'heic'));
  const ispe = (w: number, h: number) => fullBox('ispe', 0, 0, be32(w), be32(h));
  const ipco = box('ipco', ispe(512, 512), ispe(width, height), ispe(320, 240));
  // item 1 → property 2 (the grid's size), item 2 → property 1 (a tile), item 3 → property 3 (thumbnail)
  const ipma = fullBox('ipma', 0, 0, be32(3), be16(1), [1, 0x82], be16(2), [1, 0x81], be16(3), [1, 0x83]);
  const meta = fullBox('meta', 0, 0, fullBox('hdlr', 0, 0, be32(0), ascii('pict'), new Uint8Array(13)), ...(options.noPrimary ? [] : [fullBox('pitm', 0, 0, be16(1))]), box('iprp', ipco, ipma));
  const mdat = box('mdat', new Uint8Array(4096).fill(0x11));
  const whole = concat(ftyp, meta, mdat);
  return options.truncate ? whole.subarray(0, whole.length - 1000) : whole;
}

/** An MP4 (or MOV with `brand: 'qt  '`) with one video track; `moovLast` writes the media data first, as phones do. */
export function mp4(
  options: { width?: number; height?: number; seconds?: number; fps?: number; brand?: string; moovLast?: boolean; truncate?: boolean; audioOnly?: boolean; mdatBytes?: number } = {},
): Uint8Array {
  const { width = 1280, height = 720, seconds = 5, fps = 30, brand = 'isom', moovLast = false } = options;
  const timescale = 1000;
  const duration = Math.round(seconds * timescale);
  const mediaScale = 90_000;
  const mediaDuration = Math.round(seconds * mediaScale);
  const samples = Math.round(seconds * fps);
  const ftyp = box('ftyp', ascii(brand), be32(512), ascii(brand), ascii('mp41'));
  const mvhd = fullBox('mvhd', 0, 0, be32(0), be32(0), be32(timescale), be32(duration), new Uint8Array(80));
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    be32(0),
    be32(0),
    be32(1),
    be32(0),
    be32(duration),
    new Uint8Array(8),
    be16(0),
    be16(0),
    be16(0),
    be16(0),
    new Uint8Array(36),
    be32(width * 65536),
    be32(height * 65536),
  );
  const mdhd = fullBox('mdhd', 0, 0, be32(0), be32(0), be32(mediaScale), be32(mediaDuration), be16(0x55c4), be16(0));
  const hdlr = fullBox('hdlr', 0, 0, be32(0), ascii(options.audioOnly ? 'soun' : 'vide'), new Uint8Array(12), [0]);
  const stts = fullBox('stts', 0, 0, be32(2), be32(samples - 1), be32(Math.round(mediaScale / fps)), be32(1), be32(Math.round(mediaScale / fps)));
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', box('stbl', stts))));
  const moov = box('moov', mvhd, trak);
  const mdat = box('mdat', new Uint8Array(options.mdatBytes ?? 8192).fill(0x22));
  const whole = moovLast ? concat(ftyp, mdat, moov) : concat(ftyp, moov, mdat);
  return options.truncate ? whole.subarray(0, whole.length - 500) : whole;
}

export const svgWithScript = () => ascii('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><script>alert(document.cookie)</script><rect width="600" height="800"/></svg>');
export const html = () => ascii('<!doctype html><html><body><img src=x onerror=alert(1)></body></html>');
export const zip = () => concat(ascii('PK\u0003\u0004'), new Uint8Array(200));
export const pdf = () => concat(ascii('%PDF-1.7\n'), new Uint8Array(200));
/** A JPEG's name and type, a PNG's bytes. The type is read from the bytes, so this is a PNG. */
export const pngNamedJpeg = () => png(600, 800);
/** Bytes that start like nothing at all. */
export const noise = (length = 4096) => Uint8Array.from({ length }, (_, i) => (i * 7919 + 13) & 0xff);
