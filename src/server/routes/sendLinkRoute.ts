import { OWNER_KEY_HEADER, type SendLinkChannel, type SendLinkResponse } from '../../core/wire/protocol.js';
import { isValidRecipient } from '../../core/wire/recipient.js';
import { admitSessionChange } from '../http/authorizeRequest.js';
import { clientKeyOf } from '../http/clientKeyOf.js';
import type { HandlerContext } from '../handlerContext.js';
import { errorResponse, jsonResponse, retryAfterHeader } from '../http/jsonResponse.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { MAX_SENDS_PER_SESSION } from '../limits.js';
import { mutateSession } from '../store/mutateSession.js';
import { isOwner, presentedOwnerKey } from '../ownerKey.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import { isSessionId } from '../sessionId.js';
import type { StoredSession } from '../store/sessionStore.js';
import { sameSubject } from '../subject.js';

type Refusal = { status: 409 | 429; code: ServerErrorCode; message: string; retryAfterMs?: number };

/**
 * Why this session's link may not be sent now, or `undefined` when it may: only while the session waits
 * for a phone that has not opened its link yet, and at most `MAX_SENDS_PER_SESSION` times.
 */
function refusalOf(session: StoredSession, now: number): Refusal | undefined {
  if (session.status !== 'pending' || now >= session.expiresAt) {
    return { status: 409, code: ServerErrorCode.sessionGone, message: 'This verification has ended: its link can no longer be sent.' };
  }
  if (session.openedAt !== undefined) {
    return { status: 409, code: ServerErrorCode.sessionOpened, message: 'A phone has opened this link already: it is not sent again.' };
  }
  if ((session.sendCount ?? 0) >= MAX_SENDS_PER_SESSION) {
    // A new code (a new session) may be sent again: that is when asking again can help.
    return { status: 429, code: ServerErrorCode.sendRateLimited, message: 'This link was sent as often as it may be. Scan the code instead.', retryAfterMs: session.expiresAt - now };
  }
  return undefined;
}

function refuse({ status, code, message, retryAfterMs }: Refusal): Response {
  return errorResponse(status, code, message, retryAfterMs === undefined ? {} : retryAfterHeader(retryAfterMs));
}

/** The body's channel and recipient, or the 400 to answer. `to` is checked as sent: never trimmed, never rewritten. */
function parseBody(value: unknown, channels: readonly SendLinkChannel[]): { ok: true; channel: SendLinkChannel; to: string } | { ok: false; code: ServerErrorCode; response: Response } {
  const invalid = (code: ServerErrorCode, message: string) => ({ ok: false as const, code, response: errorResponse(400, code, message) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(ServerErrorCode.invalidRequest, 'The body must be a JSON object: { "channel", "to" }.');
  const { channel, to } = value as { channel?: unknown; to?: unknown };
  if (typeof channel !== 'string' || !channels.includes(channel as SendLinkChannel)) {
    return invalid(ServerErrorCode.channelNotAllowed, `\`channel\` must be one of ${channels.map((name) => `"${name}"`).join(', ')}.`);
  }
  if (!isValidRecipient(channel as SendLinkChannel, to)) {
    return invalid(
      ServerErrorCode.invalidRecipient,
      channel === 'sms' ? '`to` must be a phone number in E.164 form, such as +12025550123.' : '`to` must be one e-mail address, such as name@example.com.',
    );
  }
  return { ok: true, channel: channel as SendLinkChannel, to };
}

/** Runs the app's sender under its deadline; `timeout` when the deadline passed first, `error` when it threw. */
async function deliver(context: HandlerContext, run: (signal: AbortSignal) => void | Promise<void>): Promise<'sent' | 'timeout' | 'error'> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('timeout');
    }, context.options.sendLinkTimeoutMs);
  });
  const sending = (async () => {
    await run(abort.signal);
    return 'sent' as const;
  })().catch(() => 'error' as const);
  try {
    return await Promise.race([sending, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `POST {basePath}/sessions/:id/send`: "Can't scan? Send the link to your phone". The app's own sender
 * (`sendLink`) delivers the session's short link (one device, like the QR code; never the H5 link) by
 * SMS or e-mail. The walls of cancelling a session, in its order: the Origin check, `authorize`, then
 * the owner key (`Liveness-Owner-Key`), without which, or for another subject's session, it answers
 * exactly like an unknown session. Then `to` is validated (400), the session must still wait for a phone
 * that has not opened it (409), and neither its 3 sends nor the client's budget may be spent (429).
 * The send is counted before the sender runs (compare-and-set: instances together keep to the limit),
 * and stays counted when it fails: the message may have gone out. A sender that throws or outlasts
 * `sendLinkTimeoutMs` is a 502 whose text is ours alone; nothing else about the session changes.
 */
export async function sendLinkRoute(context: HandlerContext, request: Request, id: string): Promise<Response> {
  const { options, emit } = context;
  const reject = (response: Response, code: string) => {
    emit({ type: 'request.rejected', ...(isSessionId(id) ? { sessionId: id } : {}), httpStatus: response.status, code });
    return response;
  };
  const sendLink = options.sendLink;
  if (!sendLink) return errorResponse(404, ServerErrorCode.notFound, 'Not found.');
  const authorized = await admitSessionChange(context, request);
  if (!authorized.ok) return authorized.response;
  const presented = await presentedOwnerKey(request.headers.get(OWNER_KEY_HEADER));
  const read = await readJsonBody(request);
  if (!read.ok) return reject(read.response, 'invalid_body');

  const session = isSessionId(id) ? await options.store.get(id) : undefined;
  const notFound = () => errorResponse(404, ServerErrorCode.notFound, 'No such verification session.');
  if (!session) return notFound();
  if (!isOwner(presented, session.ownerKeyHash)) return reject(notFound(), 'owner_key_mismatch');
  if (session.subject !== undefined && !sameSubject(authorized.subject, session.subject)) return notFound();

  const parsed = parseBody(read.value, options.sendLinkChannels);
  if (!parsed.ok) return reject(parsed.response, parsed.code);
  const early = refusalOf(session, options.clock());
  if (early) return reject(refuse(early), early.code);

  // The client's budget (creates and sends together, `clientRateLimit`): one client cannot make the app
  // send messages without end, however many sessions it creates.
  const client = await clientKeyOf(context, request);
  const slot = client === undefined ? undefined : await context.budget.clientSlot(client);
  if (slot && !slot.ok) {
    return reject(
      refuse({ status: 429, code: ServerErrorCode.sendRateLimited, message: 'Too many links were sent from here. Try again later, or scan the code.', retryAfterMs: slot.retryAfterMs }),
      ServerErrorCode.sendRateLimited,
    );
  }
  // Counted before the sender runs, so concurrent requests on any instance cannot pass the limit together.
  let refused: Refusal | undefined;
  const counted = await mutateSession(options.store, id, (current) => {
    refused = refusalOf(current, options.clock());
    return refused ? undefined : { sendCount: (current.sendCount ?? 0) + 1 };
  }).catch(async (error: unknown) => {
    // The store could not answer (the handler says 503): nothing was sent, so the client's slot goes back.
    await slot?.giveBack();
    throw error;
  });
  if (!counted || !counted.changed) {
    await slot?.giveBack();
    return counted && refused ? reject(refuse(refused), refused.code) : notFound();
  }

  const { channel, to } = parsed;
  const started = options.clock();
  const outcome = await deliver(context, (signal) =>
    sendLink(
      {
        sessionId: id,
        ...(session.subject === undefined ? {} : { subject: session.subject }),
        channel,
        to,
        link: session.qrUrl,
        locale: session.locale ?? 'en',
        expiresAt: new Date(session.expiresAt),
      },
      { signal },
    ),
  );
  const durationMs = options.clock() - started;
  if (outcome !== 'sent') {
    emit({ type: 'link.send_failed', sessionId: id, channel, httpStatus: 502, code: outcome === 'timeout' ? 'send_timeout' : 'send_error', durationMs });
    return errorResponse(502, ServerErrorCode.sendFailed, 'The link could not be sent. Try again, or scan the code.');
  }
  emit({ type: 'link.sent', sessionId: id, channel, httpStatus: 200, durationMs });
  const body: SendLinkResponse = { channel, remaining: Math.max(0, MAX_SENDS_PER_SESSION - (counted.session.sendCount ?? 0)) };
  return jsonResponse(200, body);
}
