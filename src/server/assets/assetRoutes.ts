import type { HandlerContext } from '../handlerContext.js';
import { errorResponse } from '../http/jsonResponse.js';
import { assetEventsRoute } from '../routes/assetEventsRoute.js';
import { assetStatusRoute } from '../routes/assetStatusRoute.js';
import { assetUploadRoute } from '../routes/assetUploadRoute.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { advanceAsset } from './advanceAsset.js';
import { assetContext, type AssetContext } from './assetContext.js';

function methodNotAllowed(allow: string): Response {
  return errorResponse(405, ServerErrorCode.methodNotAllowed, `Use ${allow} on this route.`, { Allow: allow });
}

/** The handler's asset state, made on the first asset request (this module is loaded then, too). */
function assetsOf(context: HandlerContext): AssetContext {
  const { options } = context;
  context.assets ??= assetContext(options.assets!, options.store, options.clock, options.backgroundTimers, (assetId) => {
    // A timer's run has nobody waiting on it; a failing store must not become an unhandled rejection.
    if (context.assets) advanceAsset(context, context.assets, assetId).catch(() => undefined);
  });
  return context.assets;
}

/**
 * The asset routes under `{basePath}/assets`: `POST /assets`, `GET|HEAD /assets/:id`,
 * `GET|HEAD /assets/:id/events`. Loaded by the handler on the first asset request (with the media
 * parsers), so a handler that never serves one never loads them.
 */
export function assetRoute(context: HandlerContext, request: Request, rest: string, method: string): Promise<Response> | Response {
  const assets = assetsOf(context);
  const read = method === 'GET' || method === 'HEAD';
  if (rest === '/assets') return method === 'POST' ? assetUploadRoute(context, request) : methodNotAllowed('POST');
  const match = /^\/assets\/([^/]+)(\/events)?$/.exec(rest);
  if (!match) return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  if (!read) return methodNotAllowed('GET, HEAD');
  return match[2] ? assetEventsRoute(context, assets, request, match[1]!, method === 'HEAD') : assetStatusRoute(context, assets, request, match[1]!, method === 'HEAD');
}
