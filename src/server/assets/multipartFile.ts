const CRLF = Uint8Array.of(13, 10);
const HEADER_END = Uint8Array.of(13, 10, 13, 10);
/** Part headers are a few hundred bytes; more is not a browser's form. */
const MAX_PART_HEADER_BYTES = 8 * 1024;
/** The text fields and preamble a form may carry besides its file (they are read and ignored). */
const MAX_OTHER_BYTES = 16 * 1024;

/** Where the file's bytes go as they arrive; a `stop` answer ends the reading at once. */
export interface FileSink {
  /** A chunk of the file part. Answer `'stop'` to stop reading (the rest of the body is never read). */
  write(chunk: Uint8Array): 'stop' | undefined;
}

export type MultipartOutcome =
  /** One file part, read to its end (the form's closing boundary included). */
  | { kind: 'file' }
  /** The sink said stop. */
  | { kind: 'stopped' }
  /** Not a form this route takes: no file, two files, an oversized header or field, bytes that are not multipart. */
  | { kind: 'invalid'; message: string }
  /** The body stopped arriving (the client went away, or the deadline passed). */
  | { kind: 'aborted' };

/** The boundary of a `multipart/form-data` `Content-Type`, or `undefined`. */
export function formBoundary(contentType: string | null): string | undefined {
  if (!contentType || contentType.split(';')[0]!.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  for (let at = haystack.indexOf(first, from); at !== -1 && at + needle.length <= haystack.length; at = haystack.indexOf(first, at + 1)) {
    let i = 1;
    while (i < needle.length && haystack[at + i] === needle[i]) i += 1;
    if (i === needle.length) return at;
  }
  return -1;
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Whether a part's headers make it a file: `Content-Disposition: form-data; name="…"; filename="…"`. */
function partOf(headers: string): { name: string | undefined; file: boolean } {
  const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*name=([^\s;]+)/i.exec(disposition)?.[1];
  return { name, file: /;\s*filename\*?=/i.test(disposition) };
}

/**
 * Reads a `multipart/form-data` body as it streams, handing the bytes of its one file part (field
 * `file`) to `sink` and holding nothing else: the file is never buffered here, the other fields are
 * counted and dropped (16 KiB at most), and a part's headers may take 8 KiB. The reading stops as soon
 * as the sink says so or the form is not one this route takes; the stream is then cancelled, so nothing
 * more is read from the client.
 */
export async function readMultipartFile(body: ReadableStream<Uint8Array> | null, boundary: string, sink: FileSink): Promise<MultipartOutcome> {
  if (!body) return { kind: 'invalid', message: 'The form is empty: send the file in a part named "file".' };
  const reader = body.getReader();
  const delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  // The first boundary may open the body without a line break before it: pretend there was one.
  let buffer: Uint8Array = CRLF;
  let state: 'preamble' | 'delimited' | 'headers' | 'body' | 'epilogue' = 'preamble';
  let inFile = false;
  let files = 0;
  let other = 0;
  let ended = false;
  const finish = async (outcome: MultipartOutcome): Promise<MultipartOutcome> => {
    if (!ended) await reader.cancel().catch(() => undefined);
    return outcome;
  };
  const invalid = (message: string) => finish({ kind: 'invalid', message });
  /** Hands over part bytes; `true` when reading must stop. */
  const emit = (bytes: Uint8Array): 'stop' | 'tooMuch' | undefined => {
    if (bytes.length === 0) return undefined;
    if (inFile) return sink.write(bytes);
    other += bytes.length;
    return other > MAX_OTHER_BYTES ? 'tooMuch' : undefined;
  };

  for (;;) {
    // Work through what is buffered; `more` when the next step needs more bytes.
    let more = false;
    while (!more) {
      if (state === 'preamble') {
        const at = indexOf(buffer, delimiter);
        if (at === -1) {
          other += Math.max(0, buffer.length - delimiter.length);
          if (other > MAX_OTHER_BYTES) return invalid('This is not a multipart form.');
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
          more = true;
        } else {
          buffer = buffer.subarray(at + delimiter.length);
          state = 'delimited';
        }
      } else if (state === 'delimited') {
        // After a boundary: "--" closes the form; otherwise optional spaces, then CRLF and a part.
        let at = 0;
        while (at < buffer.length && (buffer[at] === 0x20 || buffer[at] === 0x09)) at += 1;
        if (buffer.length < at + 2) {
          if (buffer.length > 256) return invalid('The form’s boundary line is malformed.');
          more = true;
        } else if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'epilogue';
        } else if (buffer[at] === 13 && buffer[at + 1] === 10) {
          buffer = buffer.subarray(at + 2);
          state = 'headers';
        } else {
          return invalid('The form’s boundary line is malformed.');
        }
      } else if (state === 'headers') {
        // A part may have no headers at all: its blank line comes first.
        const at = buffer[0] === 13 && buffer[1] === 10 ? -2 : indexOf(buffer, HEADER_END);
        if (at === -1) {
          if (buffer.length > MAX_PART_HEADER_BYTES) return invalid('A part of the form has headers that are too long.');
          // One byte may be all that arrived: the blank line's test above needs two.
          more = true;
        } else if (at > MAX_PART_HEADER_BYTES) {
          return invalid('A part of the form has headers that are too long.');
        } else {
          const part = partOf(at === -2 ? '' : new TextDecoder().decode(buffer.subarray(0, at)));
          buffer = buffer.subarray(at === -2 ? 2 : at + HEADER_END.length);
          inFile = part.file && part.name === 'file';
          if (part.file && !inFile) return invalid('Send the file in a part named "file".');
          if (inFile && (files += 1) > 1) return invalid('Send one file per request.');
          state = 'body';
        }
      } else if (state === 'body') {
        const at = indexOf(buffer, delimiter);
        // Without a delimiter, all but its possible beginning is part data.
        const cut = at === -1 ? Math.max(0, buffer.length - delimiter.length + 1) : at;
        const said = emit(buffer.subarray(0, cut));
        if (said === 'stop') return finish({ kind: 'stopped' });
        if (said === 'tooMuch') return invalid('The form carries more than the file.');
        buffer = buffer.subarray(at === -1 ? cut : at + delimiter.length);
        if (at === -1) more = true;
        else state = 'delimited';
      } else {
        // The epilogue is ignored, and not read: the form is complete.
        return finish(files === 1 ? { kind: 'file' } : { kind: 'invalid', message: 'The form has no file: send it in a part named "file".' });
      }
    }
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      ended = true;
      return { kind: 'aborted' };
    }
    if (chunk.done) {
      ended = true;
      return { kind: 'invalid', message: 'The form ends before its closing boundary.' };
    }
    const next = chunk.value;
    // Inside a part, what is buffered is a tail shorter than the delimiter. Unless a delimiter starts in
    // it, it is part data: handed over as it is, and the new chunk is worked on without a copy (joining
    // every chunk to its predecessor's tail copied the whole file once more).
    if (state === 'body' && next.length >= delimiter.length && indexOf(join(buffer, next.subarray(0, delimiter.length)), delimiter) === -1) {
      const said = emit(buffer);
      if (said === 'stop') return finish({ kind: 'stopped' });
      if (said === 'tooMuch') return invalid('The form carries more than the file.');
      buffer = next;
    } else {
      buffer = join(buffer, next);
    }
  }
}
