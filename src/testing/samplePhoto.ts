/**
 * The text the mock upstream looks for in an asset's bytes (a PNG `tEXt` chunk, a JPEG comment, or
 * anywhere else in the file): an asset carrying it becomes `Failed` with `Error.Code` `FaceMismatch`, as
 * a photo of someone other than the verified person does upstream.
 */
export const MOCK_FACE_MISMATCH_MARKER = 'MOCK-FACE-MISMATCH';

/** Like {@link MOCK_FACE_MISMATCH_MARKER}, for `Failed` with an invalid-media code (a file the upstream cannot use). */
export const MOCK_INVALID_MEDIA_MARKER = 'MOCK-INVALID-MEDIA';

/** Options of {@link samplePhoto}. */
export interface SamplePhotoOptions {
  /** @default 600 */
  width?: number;
  /** @default 800 */
  height?: number;
  /**
   * What the mock upstream will make of it: `active` (the default), `faceMismatch` or `invalidMedia` (a
   * marker in a `tEXt` chunk).
   */
  outcome?: 'active' | 'faceMismatch' | 'invalidMedia';
}

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array, from: number, to: number): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = from; i < to; i += 1) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i += 1) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** zlib around stored (uncompressed) deflate blocks: valid for every decoder, and the pixels stay as they are. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let block = 0; block < blocks; block += 1) {
    const part = data.subarray(block * 65535, Math.min(data.length, (block + 1) * 65535));
    out[at] = block === blocks - 1 ? 1 : 0;
    out[at + 1] = part.length & 0xff;
    out[at + 2] = part.length >>> 8;
    out[at + 3] = ~part.length & 0xff;
    out[at + 4] = (~part.length >>> 8) & 0xff;
    out.set(part, at + 5);
    at += 5 + part.length;
  }
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  new DataView(out.buffer).setUint32(at, ((b << 16) | a) >>> 0);
  return out;
}

/**
 * A valid PNG (1-bit greyscale, a few kilobytes) of the given size, for tests and demos of reference
 * assets against the mock upstream: `samplePhoto({ outcome: 'faceMismatch' })` is refused as the wrong
 * face. Every browser and image library decodes it; it shows grey stripes, not a face.
 */
export function samplePhoto(options: SamplePhotoOptions = {}): Uint8Array {
  const width = options.width ?? 600;
  const height = options.height ?? 800;
  const row = 1 + Math.ceil(width / 8);
  const pixels = new Uint8Array(row * height);
  // Stripes of 8 rows, so the picture is not blank.
  for (let y = 0; y < height; y += 1) pixels.fill((y >> 3) & 1 ? 0xff : 0x55, y * row + 1, (y + 1) * row);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([1, 0, 0, 0, 0], 8);
  const marker = options.outcome === 'faceMismatch' ? MOCK_FACE_MISMATCH_MARKER : options.outcome === 'invalidMedia' ? MOCK_INVALID_MEDIA_MARKER : undefined;
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(marker ? [chunk('tEXt', new TextEncoder().encode(`Comment\0${marker}`))] : []),
    chunk('IDAT', zlibStored(pixels)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
