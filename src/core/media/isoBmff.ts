import { fourCc, u16be, u32be } from './bytes.js';
import type { HeaderAnswer } from './imageHeader.js';

/** One box of an ISO base media file (HEIF, MP4, MOV): its type and where its header, payload and end are. */
interface Box {
  type: string;
  start: number;
  payload: number;
  end: number;
}

/**
 * The boxes in `[from, to)`, and whether the list is `cut`: a box header lies past the bytes that have
 * arrived. `undefined` when a size cannot be (below its own header). A box may end past `to` or past
 * the bytes (the caller decides whether that means "read on" or "truncated").
 */
function boxes(bytes: Uint8Array, from: number, to: number): { list: Box[]; cut: boolean } | undefined {
  const list: Box[] = [];
  let at = from;
  while (at < to) {
    const size = u32be(bytes, at);
    const type = fourCc(bytes, at + 4);
    if (size === undefined || type === undefined) return { list, cut: true };
    let header = 8;
    let end: number;
    if (size === 1) {
      // A 64-bit size follows the type.
      const high = u32be(bytes, at + 8);
      const low = u32be(bytes, at + 12);
      if (high === undefined || low === undefined) return { list, cut: true };
      header = 16;
      end = at + high * 2 ** 32 + low;
    } else {
      // Size 0: "to the end of the file" (of the container, below the top level).
      end = size === 0 ? to : at + size;
    }
    if (end < at + header) return undefined;
    list.push({ type, start: at, payload: at + header, end });
    if (end > to) break;
    at = end;
  }
  return { list, cut: false };
}

/** The children of a box whose bytes have all arrived (full boxes skip their version and flags). */
function children(bytes: Uint8Array, box: Box | undefined, fullBox = false): Box[] | undefined {
  if (!box) return undefined;
  const walked = boxes(bytes, box.payload + (fullBox ? 4 : 0), box.end);
  return walked && !walked.cut && walked.list.every((child) => child.end <= box.end) ? walked.list : undefined;
}

const find = (list: Box[] | undefined, type: string) => list?.find((box) => box.type === type);

/**
 * A top-level box, once all its bytes are in `bytes` (of a file `total` bytes long); `'more'` while it
 * may still come (or is still arriving), `undefined` when the file has none.
 */
function topLevel(bytes: Uint8Array, total: number, type: string): Box | 'more' | undefined {
  const walked = boxes(bytes, 0, total);
  if (!walked) return undefined;
  const box = find(walked.list, type);
  if (box) return box.end <= bytes.length ? box : 'more';
  // Not among the boxes read so far: it may be in the part of the file that has not arrived.
  return walked.cut ? 'more' : undefined;
}

/**
 * HEIF/HEIC: the size of the primary image, from the `ispe` property (image spatial extents) that
 * `ipma` associates with the item `pitm` names, in the `meta` box. Phones write HEIC as a grid of
 * tiles: the grid item is the primary one, and its `ispe` is the whole picture's. Without a primary
 * item (`pitm`), the largest `ispe` is taken. `irot` (rotation) is not applied: it swaps width and
 * height, which the limits (the same range for both sides, a ratio range and its inverse) do not mind.
 */
export function heifHeader(bytes: Uint8Array, total: number): HeaderAnswer {
  const meta = topLevel(bytes, total, 'meta');
  if (meta === 'more' || meta === undefined) return meta;
  const items = children(bytes, meta, true);
  const properties = children(bytes, find(items, 'iprp'));
  const ipco = children(bytes, find(properties, 'ipco'));
  const ipma = find(properties, 'ipma');
  const pitm = find(items, 'pitm');
  if (!ipco) return undefined;
  const sizes = ipco.map((property) => (property.type === 'ispe' ? { width: u32be(bytes, property.payload + 4) ?? 0, height: u32be(bytes, property.payload + 8) ?? 0 } : undefined));
  let chosen: { width: number; height: number } | undefined;
  if (pitm && ipma) {
    const primary = bytes[pitm.payload] === 0 ? u16be(bytes, pitm.payload + 4) : u32be(bytes, pitm.payload + 4);
    const version = bytes[ipma.payload]!;
    const wide = (bytes[ipma.payload + 3]! & 1) === 1;
    let at = ipma.payload + 8;
    const entries = u32be(bytes, ipma.payload + 4) ?? 0;
    for (let entry = 0; entry < entries && at < ipma.end && !chosen; entry += 1) {
      const item = version < 1 ? u16be(bytes, at) : u32be(bytes, at);
      at += version < 1 ? 2 : 4;
      const associations = bytes[at] ?? 0;
      at += 1;
      for (let index = 0; index < associations; index += 1, at += wide ? 2 : 1) {
        // The high bit says "essential"; the rest is a 1-based index into ipco.
        const property = wide ? (u16be(bytes, at) ?? 0) & 0x7fff : (bytes[at] ?? 0) & 0x7f;
        if (item === primary && sizes[property - 1]) chosen = sizes[property - 1];
      }
    }
  }
  chosen ??= sizes.reduce<{ width: number; height: number } | undefined>((best, size) => (size && (!best || size.width * size.height > best.width * best.height) ? size : best), undefined);
  return chosen && chosen.width > 0 && chosen.height > 0 ? chosen : undefined;
}

/** Timescale and duration of an `mvhd` or `mdhd` box (version 1 has 64-bit times). */
function timing(bytes: Uint8Array, box: Box | undefined): { timescale: number; duration: number } | undefined {
  if (!box) return undefined;
  const v1 = bytes[box.payload] === 1;
  const timescale = u32be(bytes, box.payload + (v1 ? 20 : 12));
  const duration = v1 ? (u32be(bytes, box.payload + 24) ?? 0) * 2 ** 32 + (u32be(bytes, box.payload + 28) ?? 0) : u32be(bytes, box.payload + 16);
  return timescale && duration !== undefined ? { timescale, duration } : undefined;
}

/**
 * MP4/MOV: the movie's duration (`mvhd`), and the video track's size (`tkhd`, 16.16 fixed point) and
 * frame rate (its samples, summed from `stts`, over its media duration, `mdhd`). The `moov` box may
 * come after the media data (phones often write it last): without the whole file this answers `'more'`.
 * A file without a video track (audio only) is not a video.
 */
export function movieHeader(bytes: Uint8Array, total: number): HeaderAnswer {
  const moov = topLevel(bytes, total, 'moov');
  if (moov === 'more' || moov === undefined) return moov;
  const movie = children(bytes, moov);
  const length = timing(bytes, find(movie, 'mvhd'));
  for (const trak of movie?.filter((box) => box.type === 'trak') ?? []) {
    const track = children(bytes, trak);
    const mdia = children(bytes, find(track, 'mdia'));
    const handler = find(mdia, 'hdlr');
    if (!handler || fourCc(bytes, handler.payload + 8) !== 'vide') continue;
    const tkhd = find(track, 'tkhd');
    const media = timing(bytes, find(mdia, 'mdhd'));
    const stts = find(children(bytes, find(children(bytes, find(mdia, 'minf')), 'stbl')), 'stts');
    if (!tkhd || !media || !stts || !length) return undefined;
    const v1 = bytes[tkhd.payload] === 1;
    const width = (u32be(bytes, tkhd.payload + (v1 ? 88 : 76)) ?? 0) / 65536;
    const height = (u32be(bytes, tkhd.payload + (v1 ? 92 : 80)) ?? 0) / 65536;
    let samples = 0;
    const entries = u32be(bytes, stts.payload + 4) ?? 0;
    for (let entry = 0, at = stts.payload + 8; entry < entries && at + 8 <= stts.end; entry += 1, at += 8) samples += u32be(bytes, at)!;
    const seconds = media.duration / media.timescale;
    return {
      width: Math.round(width),
      height: Math.round(height),
      durationMs: Math.round((length.duration / length.timescale) * 1000),
      ...(seconds > 0 ? { fps: Math.round((samples / seconds) * 100) / 100 } : {}),
    };
  }
  return undefined;
}

/** Whether the top-level boxes of a complete file all end inside it (a cut-off file's last box overruns). */
export function boxesComplete(bytes: Uint8Array): boolean {
  const walked = boxes(bytes, 0, bytes.length);
  return walked !== undefined && !walked.cut && walked.list.length > 0 && walked.list.every((box) => box.end <= bytes.length);
}
