/*
 * msw handlers that play the app's backend (`POST {endpoint}`) for the stories. Every link here is
 * obviously fake: `h5.example.test` is a reserved name and no value is a real credential.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
// Brings the addon's typing of `beforeEach({ msw })` into any program that compiles the stories.
import type {} from 'msw-storybook-addon/csf3';

/** A short link, like a backend's own redirect or a test link. */
export const FAKE_SHORT_LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret';

/** A short URL for the QR code, as a backend offering `qrUrl` would return. */
export const FAKE_QR_URL = 'https://h5.example.test/q/FAKE-short';

/**
 * A ~900-character link shaped like a real H5 link (temporary credentials in the query string), so the
 * QR code in the stories has the density a real one has. Built with a literal `\u0026` for one
 * separator, as Anyfast sends it, to show it is decoded before use.
 */
export const FAKE_LONG_LINK = (() => {
  const fake = (prefix: string, length: number) => (prefix + 'FAKE-not-a-secret-'.repeat(60)).slice(0, length);
  const params = [
    ['pl', 'FAKE-not-a-secret'],
    ['accessKeyId', fake('AKLTFAKE', 48)],
    ['secretAccessKey', fake('FAKESECRET', 64)],
    ['sessionToken', fake('STSFAKE', 460)],
    ['bytedToken', fake('2026FAKE', 64)],
    ['callbackUrl', encodeURIComponent('https://app.example.test/liveness/callback')],
    ['lng', 'en'],
    ['expires', '1798761600'],
    ['signature', fake('FAKESIG', 64)],
  ];
  const query = params.map(([key, value]) => `${key}=${value}`);
  return `https://h5.example.test/authorization?${query.slice(0, 2).join('\\u0026')}&${query.slice(2).join('&')}`;
})();

/** Where the single-component stories send their request. */
export const SESSION_ENDPOINT = '/api/liveness/sessions';

const inTwoMinutes = () => new Date(Date.now() + 120_000).toISOString();

let sessionCounter = 0;

/** `201` with a valid session, in the library's own protocol. */
export function readySession(
  path: string,
  extra: {
    h5Link?: string;
    qrUrl?: string;
    expectLocale?: string;
    /** Adds `statusUrl: <statusBase>/<sessionId>` (answer it with {@link sessionStatus}); without it the component does not poll. */
    statusBase?: string;
    /** Lifetime of the link. @default 120000 */
    expiresInMs?: number;
    /** Told of each create request (a consent story counts them). */
    onRequest?: () => void;
    /**
     * Offers sending the link (issue 24): `sendUrl: <sendBase>/<sessionId>/send` (answer it with
     * {@link sendLinkRoute}), a fake `ownerKey`, and `sendChannels` when given.
     */
    sendBase?: string;
    sendChannels?: string[];
  } = {},
): HttpHandler {
  return http.post(path, async ({ request }) => {
    extra.onRequest?.();
    if (extra.expectLocale !== undefined) {
      // The story only reaches `ready` if the component sent the H5 page's locale code.
      const body = (await request.json().catch(() => ({}))) as { locale?: string };
      if (body.locale !== extra.expectLocale) {
        return HttpResponse.json({ error: { code: 'bad_locale', message: `expected ${extra.expectLocale}` } }, { status: 400 });
      }
    }
    sessionCounter += 1;
    return HttpResponse.json(
      {
        sessionId: `story-session-${sessionCounter}`,
        h5Link: extra.h5Link ?? FAKE_LONG_LINK,
        expiresAt: extra.expiresInMs === undefined ? inTwoMinutes() : new Date(Date.now() + extra.expiresInMs).toISOString(),
        ...(extra.qrUrl ? { qrUrl: extra.qrUrl } : {}),
        ...(extra.statusBase ? { statusUrl: `${extra.statusBase}/story-session-${sessionCounter}` } : {}),
        ...(extra.sendBase
          ? { sendUrl: `${extra.sendBase}/story-session-${sessionCounter}/send`, ownerKey: 'FAKE-owner-key-story00', ...(extra.sendChannels ? { sendChannels: extra.sendChannels } : {}) }
          : {}),
      },
      { status: 201 },
    );
  });
}

/** Never answers: the component stays in `creating`. */
export function neverAnswers(path: string): HttpHandler {
  return http.post(path, async () => {
    await delay('infinite');
    return HttpResponse.json({});
  });
}

/** Answers long after any sensible `timeoutMs`. */
export function answersTooLate(path: string): HttpHandler {
  return http.post(path, async () => {
    await delay(60_000);
    return HttpResponse.json({ sessionId: 'too-late', h5Link: FAKE_SHORT_LINK }, { status: 201 });
  });
}

/** The request fails as if the network were down (`TypeError: Failed to fetch`). */
export function networkError(path: string): HttpHandler {
  return http.post(path, () => HttpResponse.error());
}

/** A JSON error in the library's error shape, with optional headers. */
export function httpError(path: string, status: number, code: string, headers: Record<string, string> = {}): HttpHandler {
  return http.post(path, () => HttpResponse.json({ error: { code, message: `Story: HTTP ${status}` } }, { status, headers }));
}

/** `200` with an HTML page, as a misrouted request to a SPA fallback would get. */
export function htmlInsteadOfJson(path: string): HttpHandler {
  return http.post(path, () => HttpResponse.html('<!doctype html><html><body><div id="root"></div></body></html>', { status: 200 }));
}

/** `201` whose link is a script URL: it must become an error, never an `href`. */
export function scriptLink(path: string): HttpHandler {
  return http.post(path, () => HttpResponse.json({ sessionId: 'story-evil', h5Link: 'javascript:alert(document.cookie)', expiresAt: inTwoMinutes() }, { status: 201 }));
}

/** Fails with `500` on the first call and succeeds afterwards: shows that Retry creates a new session. */
export function failsOnce(path: string): HttpHandler {
  let calls = 0;
  return http.post(path, () => {
    calls += 1;
    if (calls === 1) return HttpResponse.json({ error: { code: 'upstream_error', message: 'Story: first call fails' } }, { status: 500 });
    sessionCounter += 1;
    return HttpResponse.json({ sessionId: `story-session-${sessionCounter}`, h5Link: FAKE_SHORT_LINK, expiresAt: inTwoMinutes() }, { status: 201 });
  });
}

/** What a status answer says; `groupId` is required for `verified`. */
export interface StoryStatus {
  status: 'pending' | 'verified' | 'failed' | 'expired';
  groupId?: string;
  resultCode?: string;
  /** Why, with `failed` (a backend may also send only `resultCode`). */
  reason?: 'device' | 'liveness' | 'unconfirmed' | 'unknown';
  /** A phone opened the QR code's short link. */
  openedAt?: string;
  /** The phone reported a pass; the result is being confirmed. */
  checkingSince?: string;
}

/** An instant a little in the past, for `openedAt` and `checkingSince`. */
export const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

/**
 * `DELETE <base>/:id`, the cancel the component sends on "Start again" (answered like the library's own
 * server: 200 with the status `expired`). `cancelled` lists the session ids it was called for.
 */
export function cancelRoute(base: string): { handler: HttpHandler; cancelled: string[] } {
  const cancelled: string[] = [];
  const handler = http.delete(`${base}/:id`, ({ params }) => {
    const sessionId = String(params.id);
    cancelled.push(sessionId);
    return HttpResponse.json({ sessionId, status: 'expired', expiresAt: inTwoMinutes() }, { status: 200 });
  });
  return { handler, cancelled };
}

/**
 * `GET <base>/:id`, the status URL {@link readySession} hands out with `statusBase`. `answer` gets the
 * session id and how many distinct sessions this handler has seen (1 for the first), so a story can
 * make only its first session fail or expire.
 */
export function sessionStatus(base: string, answer: (sessionId: string, nth: number) => StoryStatus): HttpHandler {
  const seen: string[] = [];
  return http.get(`${base}/:id`, ({ params }) => {
    const sessionId = String(params.id);
    if (!seen.includes(sessionId)) seen.push(sessionId);
    return HttpResponse.json({ sessionId, expiresAt: inTwoMinutes(), ...answer(sessionId, seen.indexOf(sessionId) + 1) }, { status: 200 });
  });
}

/** What a send's answer is: sent (200), an error in the library's shape, or never (the story stays busy). */
export type StorySend = { kind: 'sent' } | { kind: 'error'; status: number; code: string; headers?: Record<string, string> } | { kind: 'never' };

/**
 * `POST <base>/:id/send`, the send {@link readySession} offers with `sendBase`, answered like the
 * library's own server. `sent` lists each request's body and owner key, so a story can check what left.
 */
export function sendLinkRoute(base: string, answer: StorySend = { kind: 'sent' }): { handler: HttpHandler; sent: { body: unknown; ownerKey: string | null }[] } {
  const sent: { body: unknown; ownerKey: string | null }[] = [];
  const handler = http.post(`${base}/:id/send`, async ({ request }) => {
    const body = (await request.json().catch(() => undefined)) as { channel?: string } | undefined;
    sent.push({ body, ownerKey: request.headers.get('Liveness-Owner-Key') });
    if (answer.kind === 'never') {
      await delay('infinite');
      return HttpResponse.json({});
    }
    if (answer.kind === 'error') {
      return HttpResponse.json({ error: { code: answer.code, message: `Story: HTTP ${answer.status}` } }, { status: answer.status, headers: answer.headers ?? {} });
    }
    return HttpResponse.json({ channel: body?.channel, remaining: 2 }, { status: 200 });
  });
  return { handler, sent };
}
