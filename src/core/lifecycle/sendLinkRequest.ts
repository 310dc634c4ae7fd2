import { livenessError, LivenessErrorCode } from '../LivenessError.js';
import type { FetchJsonInit } from '../wire/fetchJson.js';
import { OWNER_KEY_HEADER, type SendLinkRequest } from '../wire/protocol.js';
import type { LivenessState } from './livenessState.js';

// The server's sender may take up to `sendLinkTimeoutMs` (at most 25 s): wait long enough to hear its 502.
const SEND_TIMEOUT_MS = 30_000;

/**
 * The hook's `sendLink`: `POST {sendUrl}` with `{ channel, to }` and the session's owner key, while the
 * state is `ready` and the backend offered `sendUrl`; else a `LivenessError` of code `unavailable`, with
 * no request. Loaded on the first send (most pages never send), and with the send-link form.
 */
export function sendLinkRequest(
  state: LivenessState,
  { channel, to }: SendLinkRequest,
  request: (url: string, init: Omit<FetchJsonInit, 'credentials' | 'fetch'>) => Promise<unknown>,
): Promise<void> {
  const session = state.status === 'ready' ? state.session : undefined;
  if (!session?.sendUrl) {
    return Promise.reject(livenessError(LivenessErrorCode.unavailable, process.env.NODE_ENV !== 'production' && 'Nothing to send: sendLink() works while the state is ready and the backend offers sendUrl.'));
  }
  // Proof that this page created the session, as for cancelling; the answer only says the message was taken.
  return request(session.sendUrl, {
    method: 'POST',
    headers: session.ownerKey ? { [OWNER_KEY_HEADER]: session.ownerKey } : undefined,
    body: JSON.stringify({ channel, to }),
    timeoutMs: SEND_TIMEOUT_MS,
  }).then(() => undefined);
}
