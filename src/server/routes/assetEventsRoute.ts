import type { AssetContext } from '../assets/assetContext.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse, retryAfterHeader } from '../http/jsonResponse.js';
import { STREAM_RETRY_AFTER_MS } from '../limits.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { assetEventStream } from './assetEventStream.js';
import { readableAsset } from './readableAsset.js';
import { STREAM_HEADERS } from './sessionEventStream.js';

/**
 * `GET {basePath}/assets/:id/events`: the asset's status pushed as Server-Sent Events, under the status
 * route's rules (`readableAsset`). Asset streams and session streams share `maxEventStreams`: beyond
 * it 503 with `Retry-After`, and the browser polls. `HEAD` answers a stream's headers without one.
 */
export async function assetEventsRoute(context: HandlerContext, assets: AssetContext, request: Request, id: string, head = false): Promise<Response> {
  const { maxEventStreams } = context.options;
  if (maxEventStreams === 0) return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  const readable = await readableAsset(context, request, id);
  if (!readable.ok) return readable.response;
  if (head) return new Response(null, { status: 200, headers: STREAM_HEADERS });
  if (context.streams.open >= maxEventStreams) {
    context.emit({ type: 'request.rejected', assetId: id, httpStatus: 503, code: ServerErrorCode.tooManyStreams });
    return errorResponse(503, ServerErrorCode.tooManyStreams, 'Too many open event streams: poll the status instead.', retryAfterHeader(STREAM_RETRY_AFTER_MS));
  }
  return assetEventStream(context, assets, request, readable.record);
}
