import { errorResponse } from './jsonResponse.js';
import { readBodyText } from './lazy/lazyRequest.js';
import { MAX_BODY_BYTES } from '../limits.js';
import { ServerErrorCode } from '../ServerErrorCode.js';

export type ReadBodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

const tooLarge = () => errorResponse(413, ServerErrorCode.payloadTooLarge, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON request body with a hard byte limit. A JSON `Content-Type` is required: besides being the
 * protocol, it makes a cross-site HTML form unable to create sessions (such a request needs a CORS
 * preflight). `Content-Length` is checked first, and bytes are counted while streaming, because the
 * header can be absent (chunked) or lie. An empty body counts as `{}`.
 */
export async function readJsonBody(request: Request): Promise<ReadBodyResult> {
  if (!isJsonContentType(request.headers.get('Content-Type'))) {
    return {
      ok: false,
      response: errorResponse(415, ServerErrorCode.unsupportedMediaType, 'Send the body as application/json.'),
    };
  }
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };

  let text: string | null;
  try {
    text = await readBodyText(request, MAX_BODY_BYTES);
  } catch {
    // The body stopped arriving (the client went away, or the Node adapter's deadline passed and it answered 408).
    return { ok: false, response: errorResponse(400, ServerErrorCode.invalidRequest, 'The request body did not arrive complete.') };
  }
  if (text === null) return { ok: false, response: tooLarge() };
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: errorResponse(400, ServerErrorCode.invalidJson, 'The request body is not valid JSON.') };
  }
}
