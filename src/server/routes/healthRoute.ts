import type { HandlerContext } from '../handlerContext.js';
import { jsonResponse, retryAfterHeader, withoutBody } from '../http/jsonResponse.js';
import { HEALTH_RETRY_AFTER_MS, HEALTH_STORE_DEADLINE_MS } from '../limits.js';
import { probeStore } from '../store/probeStore.js';

/**
 * `GET|HEAD {basePath}/health`, for load balancers and uptime checks: `200 {"status":"ok"}` when the
 * session store answers a read, `503 {"status":"unavailable","store":"error"|"timeout"}` with
 * `Retry-After` when it throws or does not answer within half a second. Not gated (a balancer carries
 * no credentials), so it tells nothing else: no counts, no versions, no upstream call, never cached.
 */
export async function healthRoute(context: HandlerContext, head: boolean): Promise<Response> {
  const probe = await probeStore(context.options.store, HEALTH_STORE_DEADLINE_MS);
  const response = probe.ok ? jsonResponse(200, { status: 'ok' }) : jsonResponse(503, { status: 'unavailable', store: probe.reason }, retryAfterHeader(HEALTH_RETRY_AFTER_MS));
  return head ? withoutBody(response) : response;
}
