import { livenessError, LivenessErrorCode } from '../LivenessError.js';
import { resolveEndpoint, type Endpoint } from '../wire/endpoint.js';
import { fetchJson } from '../wire/fetchJson.js';
import { OWNER_KEY_HEADER, type SendLinkRequest } from '../wire/protocol.js';
import type { LivenessState } from './livenessState.js';

// The server's sender may take up to `sendLinkTimeoutMs` (at most 25 s): wait long enough to hear its 502.
const SEND_TIMEOUT_MS = 30_000;

/**
 * The hook's `sendLink`: `POST {sendUrl}` with `{ channel, to }` and the session's owner key, while the
 * state is `ready` and the backend offered `sendUrl`; else a `LivenessError` of code `unavailable`, with
 * no request. Sent with the endpoint's headers and credentials as they are now, like the status
 * requests. Loaded on the first send (most pages never send), and with the send-link form: so is the
 * resolving of a relative `sendUrl`, against the endpoint (not the page), as create does for `statusUrl`.
 */
export function sendLink(state: LivenessState, { channel, to }: SendLinkRequest, options: { endpoint: Endpoint; fetch?: typeof globalThis.fetch | undefined }): Promise<void> {
  const session = state.status === 'ready' ? state.session : undefined;
  if (!session?.sendUrl) {
    return Promise.reject(
      livenessError(LivenessErrorCode.unavailable, process.env.NODE_ENV !== 'production' && 'Nothing to send: sendLink() works while the state is ready and the backend offers sendUrl.'),
    );
  }
  const { url: endpointUrl, headers, credentials } = resolveEndpoint(options.endpoint);
  let url = session.sendUrl;
  try {
    url = new URL(url, new URL(endpointUrl, typeof location === 'undefined' ? undefined : location.href)).toString();
  } catch {
    // Leave it relative; fetch resolves it against the page.
  }
  // Proof that this page created the session, as for cancelling; the answer only says the message was taken.
  return fetchJson(url, {
    method: 'POST',
    headers: session.ownerKey ? { ...headers, [OWNER_KEY_HEADER]: session.ownerKey } : headers,
    credentials,
    body: JSON.stringify({ channel, to }),
    timeoutMs: SEND_TIMEOUT_MS,
    fetch: options.fetch,
  }).then(() => undefined);
}
