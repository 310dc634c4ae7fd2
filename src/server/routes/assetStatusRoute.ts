import { advanceAsset } from '../assets/advanceAsset.js';
import { INLINE_WAIT_MS } from '../limits.js';
import { within } from '../result/resultStep.js';
import type { AssetContext } from '../assets/assetContext.js';
import { assetStatusBody } from '../assets/assetRecord.js';
import type { HandlerContext } from '../handlerContext.js';
import { jsonResponse, withoutBody } from '../http/jsonResponse.js';
import { readableAsset } from './readableAsset.js';

/**
 * `GET {basePath}/assets/:id`: `processing`, `active`, or `failed` with `reason`. A read of an asset
 * still processing also moves it on (its group's shared listing, `onAssetActive`), so it advances on
 * serverless platforms too, where nothing runs between requests; bounded, as for sessions: past
 * INLINE_WAIT_MS the answer is the stored status and the step goes on. `HEAD` only reads.
 */
export async function assetStatusRoute(context: HandlerContext, assets: AssetContext, request: Request, id: string, head = false): Promise<Response> {
  const readable = await readableAsset(context, request, id);
  if (!readable.ok) return readable.response;
  const record = head || readable.record.status !== 'processing' ? readable.record : ((await within(context, advanceAsset(context, assets, id), INLINE_WAIT_MS)) ?? readable.record);
  const response = jsonResponse(200, assetStatusBody(record));
  return head ? withoutBody(response) : response;
}
