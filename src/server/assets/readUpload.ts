import { judgeMedia, maxBytesFor, type AssetLimits, type AssetRejection } from '../../core/media/assetLimits.js';
import { inspectMedia, type MediaInfo } from '../../core/media/inspectMedia.js';
import { kindOf, sniffFormat, SNIFF_BYTES, type AssetKind } from '../../core/media/mediaFormat.js';
import { concatBytes } from '../../core/media/bytes.js';
import type { AssetErrorResponseBody, AssetRejectionReason } from '../../core/wire/assetProtocol.js';
import { errorResponse, jsonResponse } from '../http/jsonResponse.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { formBoundary, readMultipartFile, type FileSink } from './multipartFile.js';

/** The form around a file (boundaries, part headers) is a few hundred bytes; this much is allowed. */
const FORM_OVERHEAD_BYTES = 64 * 1024;
/** How much of the file's beginning is kept for reading its header while it arrives. */
const HEAD_BYTES = 1024 * 1024;

export type UploadResult = { ok: true; bytes: Uint8Array; info: MediaInfo } | { ok: false; response: Response; reason?: AssetRejectionReason };

const MESSAGES: Readonly<Record<AssetRejectionReason, string>> = {
  unsupported_type: 'This file type is not accepted: send a JPEG, PNG, GIF, WebP, BMP, TIFF, HEIC or HEIF photo, or an MP4 or MOV video.',
  file_too_large: 'The file is larger than this server accepts.',
  empty: 'The file is empty.',
  unreadable: 'The file’s header cannot be read.',
  truncated: 'The file is incomplete: it ends before its format says it does.',
  dimensions_too_small: 'The picture is too small.',
  dimensions_too_large: 'The picture is too large.',
  aspect_ratio: 'The picture is too narrow or too wide.',
  duration: 'The video is too short or too long.',
  frame_rate: 'The video’s frame rate is outside the accepted range.',
};

/** The answer to a refused file: 415 for its type, 413 for its size, 422 for the rest, with the reason. */
export function rejectionResponse(rejection: AssetRejection | { reason: AssetRejectionReason }): Response {
  const { reason } = rejection;
  const [status, code] =
    reason === 'unsupported_type' ? [415, ServerErrorCode.unsupportedMediaType] : reason === 'file_too_large' ? [413, ServerErrorCode.payloadTooLarge] : [422, ServerErrorCode.invalidMedia];
  const body: AssetErrorResponseBody = { error: { code, message: MESSAGES[reason], reason } };
  return jsonResponse(status, body);
}

/**
 * Receives the file as it streams: its type from its first bytes (then its kind's cap applies), its
 * header from its first megabyte (so a PNG claiming 100 000 px is refused before its pixels are read),
 * its bytes kept up to the cap and never beyond. They are kept as the chunks that came; once a quarter of
 * the `Content-Length` has come, in one buffer of that size instead (no copy of the whole file at the
 * end). Never sooner: a request that only announces 30 MB must not make the server hold 30 MB.
 */
class UploadSink implements FileSink {
  size = 0;
  rejection: AssetRejection | undefined;
  private kind: AssetKind | undefined;
  private cap: number;
  private readonly head = new Uint8Array(HEAD_BYTES);
  private judged = false;
  /** A `Content-Length` that turned out smaller than the file (a `Request` built by hand may say anything). */
  private overflowed = false;
  private chunks: Uint8Array[] = [];
  private buffer: Uint8Array | undefined;

  constructor(
    private readonly limits: AssetLimits,
    private readonly types: readonly AssetKind[],
    private readonly declared: number | undefined,
  ) {
    this.cap = Math.max(...types.map((type) => maxBytesFor(type, limits)));
  }

  write(chunk: Uint8Array): 'stop' | undefined {
    const at = this.size;
    this.size += chunk.length;
    if (at < HEAD_BYTES) this.head.set(chunk.subarray(0, HEAD_BYTES - at), at);
    if (this.size > this.cap) return this.refuse({ reason: 'file_too_large', size: this.size, maxBytes: this.cap, ...(this.kind ? { kind: this.kind } : {}) });
    if (this.buffer && !this.overflowed && this.size <= this.buffer.length) this.buffer.set(chunk, at);
    else if (this.buffer && !this.overflowed) {
      this.overflowed = true;
      this.chunks = [this.buffer.subarray(0, at), chunk];
      this.buffer = undefined;
    } else {
      // The multipart reader never reuses a chunk it handed over: kept as it is, not copied.
      this.chunks.push(chunk);
      const { declared } = this;
      if (!this.overflowed && declared !== undefined && declared <= this.cap + FORM_OVERHEAD_BYTES && this.size * 4 >= declared && this.size <= declared) {
        const whole = new Uint8Array(declared);
        let offset = 0;
        for (const part of this.chunks) {
          whole.set(part, offset);
          offset += part.length;
        }
        this.buffer = whole;
        this.chunks = [];
      }
    }
    if (this.kind === undefined && this.size >= SNIFF_BYTES) {
      const format = sniffFormat(this.head.subarray(0, SNIFF_BYTES));
      if (!format || !this.types.includes(kindOf(format))) return this.refuse({ reason: 'unsupported_type' });
      this.kind = kindOf(format);
      this.cap = maxBytesFor(this.kind, this.limits);
      // A 40 MB image announced by its Content-Length is refused on its first bytes, the rest never read.
      const announced = this.declared !== undefined && this.declared > this.cap + FORM_OVERHEAD_BYTES ? this.declared : undefined;
      if (this.size > this.cap || announced !== undefined) return this.refuse({ reason: 'file_too_large', size: announced ?? this.size, maxBytes: this.cap, kind: this.kind });
    }
    // While the header may still be in the head, read it: what it says may end the upload now.
    if (this.kind !== undefined && !this.judged && at < HEAD_BYTES) {
      const early = inspectMedia(this.head.subarray(0, Math.min(this.size, HEAD_BYTES)), Number.MAX_SAFE_INTEGER);
      if (early.ok) {
        this.judged = true;
        const rejection = judgeMedia(early.info, this.size, this.limits);
        if (rejection) return this.refuse(rejection);
      } else if (!early.more) {
        return this.refuse({ reason: early.reason });
      }
    }
    return undefined;
  }

  private refuse(rejection: AssetRejection): 'stop' {
    this.rejection = rejection;
    return 'stop';
  }

  /** The whole file, once it has all arrived. */
  bytes(): Uint8Array {
    return this.buffer ? this.buffer.subarray(0, this.size) : concatBytes(this.chunks, this.size);
  }
}

/**
 * Reads an upload (`multipart/form-data`, one part `file`) and judges it again, whatever the browser
 * checked: its type by its magic bytes, its size against its kind's cap (read up to the cap, never
 * beyond, and refused at once when `Content-Length` says it is larger), its header (pixels, aspect
 * ratio, a video's length and frame rate) and, once complete, that it is not cut short.
 */
export async function readUpload(request: Request, limits: AssetLimits, types: readonly AssetKind[]): Promise<UploadResult> {
  const boundary = formBoundary(request.headers.get('Content-Type'));
  if (!boundary) {
    return { ok: false, response: errorResponse(415, ServerErrorCode.unsupportedMediaType, 'Send the file as multipart/form-data, in a part named "file".') };
  }
  const header = request.headers.get('Content-Length');
  const declared = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  const cap = Math.max(...types.map((type) => maxBytesFor(type, limits)));
  if (declared !== undefined && declared > cap + FORM_OVERHEAD_BYTES) {
    // Refused before a byte is read: the adapter then closes the connection instead of draining it.
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, response: rejectionResponse({ reason: 'file_too_large' }), reason: 'file_too_large' };
  }
  const sink = new UploadSink(limits, types, declared);
  const outcome = await readMultipartFile(request.body, boundary, sink);
  if (outcome.kind === 'stopped') return { ok: false, response: rejectionResponse(sink.rejection!), reason: sink.rejection!.reason };
  if (outcome.kind === 'aborted') return { ok: false, response: errorResponse(400, ServerErrorCode.invalidRequest, 'The upload did not arrive complete.') };
  if (outcome.kind === 'invalid') return { ok: false, response: errorResponse(400, ServerErrorCode.invalidRequest, outcome.message) };
  const bytes = sink.bytes();
  const inspected = inspectMedia(bytes);
  if (!inspected.ok) {
    const reason = inspected.more ? 'truncated' : inspected.reason;
    return { ok: false, response: rejectionResponse({ reason }), reason };
  }
  if (!types.includes(inspected.info.kind)) return { ok: false, response: rejectionResponse({ reason: 'unsupported_type' }), reason: 'unsupported_type' };
  const rejection = judgeMedia(inspected.info, bytes.length, limits);
  if (rejection) return { ok: false, response: rejectionResponse(rejection), reason: rejection.reason };
  return { ok: true, bytes, info: inspected.info };
}
