import { readAsset, type AssetRecord } from '../assets/assetRecord.js';
import type { HandlerContext } from '../handlerContext.js';
import { authorizeRequest } from '../http/authorizeRequest.js';
import { errorResponse } from '../http/jsonResponse.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { sameSubject } from '../subject.js';
import { ASSET_ID } from '../upstream/upstreamClient.js';

/**
 * The asset a browser's request may read (the status route and the events route alike): the
 * `authorize` hook, then the id, then the subject. An asset id is not a credential (it goes into
 * Seedance requests, logs, the app's database): another subject's asset reads exactly like an unknown
 * one, and without a subject there is nothing to read.
 */
export async function readableAsset(context: HandlerContext, request: Request, id: string): Promise<{ ok: true; record: AssetRecord } | { ok: false; response: Response }> {
  const authorized = await authorizeRequest(context, request);
  if (!authorized.ok) return authorized;
  const found = authorized.subject !== undefined && ASSET_ID.test(id) ? await readAsset(context.records, id) : undefined;
  if (!found || !sameSubject(authorized.subject, found.record.subject)) {
    return { ok: false, response: errorResponse(404, ServerErrorCode.notFound, 'No such asset.') };
  }
  return { ok: true, record: found.record };
}
