import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from '@testing-library/react';
import { StrictMode, type ReactElement, type ReactNode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { expect, vi } from 'vitest';
import { urlOf } from '../fetchInput.js';

export const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret&lng=en';
export const LINK_2 = 'https://h5.example.test/authorization?pl=FAKE-second-not-a-secret&lng=en';
export const ENDPOINT = 'https://app.example.test/api/liveness/sessions';

export type Reply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'reject'; error?: Error }
  | { kind: 'hang' }
  /** Answers with `then` after `ms` of the (fake) clock; rejects like the real fetch if aborted first. */
  | { kind: 'delay'; ms: number; then: Reply }
  /** Builds the answer itself (raw text, streams); gets the request's signal. */
  | { kind: 'response'; make: (signal: AbortSignal | undefined) => Response };

export interface RecordedCall {
  url: string;
  init: RequestInit;
  body: unknown;
}

/**
 * A fetch stand-in that records every request and answers from a queue (the last reply repeats).
 * `hang` never answers but rejects like the real fetch when its signal aborts.
 */
export function createFetch(...replies: Reply[]) {
  const calls: RecordedCall[] = [];
  const queue = replies.length > 0 ? [...replies] : [sessionReply()];
  let counter = 0;
  const fn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    counter += 1;
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url: urlOf(input), init, body });
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (reply.kind !== 'json') return answer(reply, init, counter);
    const payload = typeof reply.body === 'function' ? (reply.body as (n: number) => unknown)(counter) : reply.body;
    return new Response(JSON.stringify(payload), {
      status: reply.status ?? 201,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    });
  });
  return { fetch: fn as unknown as typeof globalThis.fetch, mock: fn, calls };
}

/** A 201 create-session answer; session ids count up per request so each session is distinct. */
export function sessionReply(overrides: Record<string, unknown> = {}): Reply {
  return {
    kind: 'json',
    status: 201,
    body: (n: number) => ({
      sessionId: `sess_${n}`,
      h5Link: n === 1 ? LINK : LINK_2,
      expiresAt: '2030-01-01T00:00:00.000Z',
      ...overrides,
    }),
  };
}

export function errorReply(status: number, code: string, headers?: Record<string, string>): Reply {
  return { kind: 'json', status, body: { error: { code, message: 'fake message' } }, ...(headers ? { headers } : {}) };
}

export function newQueryClient(): QueryClient {
  return new QueryClient();
}

export function wrapperWith(options: { client?: QueryClient; strict?: boolean }) {
  return function Wrapper({ children }: { children: ReactNode }) {
    let tree = <>{children}</>;
    if (options.client) tree = <QueryClientProvider client={options.client}>{tree}</QueryClientProvider>;
    if (options.strict) tree = <StrictMode>{tree}</StrictMode>;
    return tree;
  };
}

/** Lets pending microtasks and the unmount clean-up (queued as a microtask) run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

// ---------- a backend stand-in for the waiting lifecycle (create + status) ----------

export const FAR_FUTURE = '2030-01-01T00:00:00.000Z';

/** The status URL the backend stand-in hands out for a session id. */
export const statusUrlOf = (sessionId: string) => `${ENDPOINT}/${sessionId}`;

export interface TimedCall extends RecordedCall {
  /** `Date.now()` when the request was made (the fake clock under fake timers). */
  at: number;
}

/** A `200` status answer in the library's own protocol. */
export function statusReply(status: string, extra: Record<string, unknown> = {}): Reply {
  return { kind: 'json', status: 200, body: { status, expiresAt: FAR_FUTURE, ...extra } };
}

export interface BackendOptions {
  /** Fields of the n-th (1-based) create answer on top of the defaults; return a Reply to answer otherwise. */
  session?: (n: number) => Record<string, unknown> | Reply;
  /** Leave `statusUrl` out of the create answers (backends that have none). @default false */
  noStatusUrl?: boolean;
  /** Status answers, in order; the last one repeats. @default pending */
  status?: Reply[];
  /** Milliseconds (of the fake clock) the n-th default create answer takes. @default 0 */
  createDelayMs?: (n: number) => number;
  /** The answer for one status URL, ahead of the `status` queue (undefined: use the queue). */
  statusOf?: (url: string) => Reply | undefined;
  /** The answer to `DELETE {statusUrl}` (cancel). @default 200 with status expired */
  cancel?: Reply;
  /** The answer to a `POST` whose URL ends in `/send` (send the link), given its body. @default 200 `{ channel, remaining: 2 }` */
  send?: (body: { channel?: string; to?: string }) => Reply;
}

const isReply = (value: unknown): value is Reply => typeof value === 'object' && value !== null && 'kind' in value && ['json', 'reject', 'hang', 'delay', 'response'].includes((value as Reply).kind);

const abortError = () => new DOMException('The operation was aborted.', 'AbortError');

async function answer(reply: Reply, init: RequestInit, n: number): Promise<Response> {
  if (init.signal?.aborted) throw abortError();
  if (reply.kind === 'reject') throw reply.error ?? new TypeError('Failed to fetch');
  if (reply.kind === 'hang') {
    return new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(abortError()), { once: true });
    });
  }
  if (reply.kind === 'delay') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, reply.ms);
      init.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(abortError());
        },
        { once: true },
      );
    });
    return answer(reply.then, init, n);
  }
  if (reply.kind === 'response') return reply.make(init.signal ?? undefined);
  const payload = typeof reply.body === 'function' ? (reply.body as (k: number) => unknown)(n) : reply.body;
  return new Response(JSON.stringify(payload), { status: reply.status ?? 200, headers: { 'Content-Type': 'application/json', ...reply.headers } });
}

/**
 * A fetch stand-in for the app's backend: POSTs create sessions `sess_1`, `sess_2`, … (each with a
 * `statusUrl` unless `noStatusUrl`), every GET is answered from the `status` queue. Every request is
 * recorded with the (fake) time it was made. `setStatus` replaces the queue mid-test.
 */
export function createBackend(options: BackendOptions = {}) {
  const calls: TimedCall[] = [];
  let statusQueue: Reply[] = [...(options.status ?? [statusReply('pending')])];
  let posts = 0;
  // Create requests whose 2xx answer reached the client (not lost to an abort or a timeout).
  const delivered: string[] = [];
  const fn = vi.fn(async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url: urlOf(input), init, body, at: Date.now() });
    if ((init.method ?? 'GET').toUpperCase() === 'POST' && urlOf(input).endsWith('/send')) {
      const sent = body as { channel?: string; to?: string } | undefined;
      return answer(options.send?.(sent ?? {}) ?? { kind: 'json', status: 200, body: { channel: sent?.channel, remaining: 2 } }, init, calls.length);
    }
    if ((init.method ?? 'GET').toUpperCase() === 'POST') {
      posts += 1;
      const n = posts;
      const custom = options.session?.(n);
      let reply: Reply;
      if (isReply(custom)) reply = custom;
      else {
        const sessionId = `sess_${n}`;
        const payload = {
          sessionId,
          h5Link: n === 1 ? LINK : LINK_2,
          expiresAt: FAR_FUTURE,
          ...(options.noStatusUrl ? {} : { statusUrl: statusUrlOf(sessionId) }),
          ...custom,
        };
        reply = { kind: 'json', status: 201, body: payload };
        const delay = options.createDelayMs?.(n) ?? 0;
        if (delay > 0) reply = { kind: 'delay', ms: delay, then: reply };
      }
      const response = await answer(reply, init, n);
      if (response.ok) delivered.push(`sess_${n}`);
      return response;
    }
    if (init.method === 'DELETE') return answer(options.cancel ?? statusReply('expired'), init, calls.length);
    const reply = options.statusOf?.(urlOf(input)) ?? (statusQueue.length > 1 ? statusQueue.shift()! : statusQueue[0]!);
    return answer(reply, init, calls.length);
  });
  return {
    fetch: fn as unknown as typeof globalThis.fetch,
    mock: fn,
    calls,
    posts: () => calls.filter((c) => c.init.method === 'POST' && !c.url.endsWith('/send')),
    /** The link sends (`POST …/send`). */
    sends: () => calls.filter((c) => c.init.method === 'POST' && c.url.endsWith('/send')),
    gets: () => calls.filter((c) => c.init.method === 'GET'),
    deletes: () => calls.filter((c) => c.init.method === 'DELETE'),
    /** Ids of the sessions whose create answer (2xx) was delivered to the client. */
    delivered: () => [...delivered],
    setStatus(...replies: Reply[]) {
      statusQueue = [...replies];
    },
  };
}

/** The timer functions the lifecycle tests fake; microtasks stay real (the hook's unmount clean-up queues one). */
export const FAKE_TIMERS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] as const;

/** Moves the fake clock inside `act`, letting react-query's notify timer deliver results to React. */
export async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

/**
 * Pretends the tab is hidden or visible and tells react-query's focusManager (it listens to
 * `visibilitychange`). `restoreVisibility()` removes the override.
 */
export function setVisibility(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  act(() => {
    // Browsers fire it at the document and it bubbles to window, where react-query listens.
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
}

export function restoreVisibility(): void {
  delete (document as unknown as Record<string, unknown>).visibilityState;
  delete (document as unknown as Record<string, unknown>).hidden;
}

/** Fires `offline` / `online` on window, which react-query's onlineManager listens to. */
export function setOnline(online: boolean): void {
  act(() => {
    window.dispatchEvent(new Event(online ? 'online' : 'offline'));
  });
}

/** Puts `?livenessSessionId=<id>` (or nothing) into the page URL, as the server's callback redirect does. */
export function setResumeParam(sessionId: string | undefined): void {
  window.history.replaceState(null, '', sessionId === undefined ? '/' : `/?livenessSessionId=${encodeURIComponent(sessionId)}`);
}

/** Everything in sessionStorage, as one string to search. */
export function sessionStorageDump(): string {
  const entries: string[] = [];
  for (let i = 0; i < sessionStorage.length; i += 1) {
    const key = sessionStorage.key(i)!;
    entries.push(`${key}=${sessionStorage.getItem(key)}`);
  }
  return entries.join('\n');
}

/**
 * The person must always see progress or a way out: `creating` is marked busy, `ready` shows a QR
 * code or a link, `opened`, `error`, `failed` and `expired` offer a button, `idle` a start button. No element
 * ever carries a `javascript:`, `data:` or `vbscript:` URL.
 */
export function expectProgressOrRetry(container: HTMLElement): void {
  const root = container.querySelector<HTMLElement>('[data-liveness-session]');
  if (!root) throw new Error('no [data-liveness-session] root is rendered');
  const state = root.getAttribute('data-state');
  const hasButton = root.querySelector('button:not([disabled])') !== null;
  const hasCodeOrLink = root.querySelector('[data-slot="qrCode"], a[data-slot="primaryLink"][href^="https:"]') !== null;
  const visible: Record<string, boolean> = {
    creating: root.getAttribute('aria-busy') === 'true',
    ready: hasCodeOrLink,
    // The phone has the check: a way out ("Start again") while waiting for it.
    opened: hasButton,
    error: hasButton,
    failed: hasButton,
    expired: hasButton,
    idle: hasButton,
    verified: root.querySelector('[data-slot="result"]') !== null,
  };
  if (!visible[state ?? '']) throw new Error(`data-state="${state}" shows neither progress nor a way to retry: ${root.outerHTML.slice(0, 400)}`);
  for (const element of Array.from(container.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      if (/^\s*(javascript|data|vbscript):/i.test(attribute.value)) throw new Error(`${element.tagName} has ${attribute.name}="${attribute.value}"`);
    }
  }
}

/**
 * Puts server-rendered `html` in a container, hydrates `ui` into it, runs `check` on the component's
 * root, and fails on any hydration warning or recoverable error. Unmounts and removes it afterwards.
 */
export async function hydrateServerHtml(html: string, ui: ReactElement, check: (root: Element, container: HTMLElement) => Promise<void>): Promise<void> {
  const errors = vi.spyOn(console, 'error');
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);
  const recoverable = vi.fn();
  let hydrated: ReturnType<typeof hydrateRoot> | undefined;
  try {
    await act(async () => {
      hydrated = hydrateRoot(container, ui, { onRecoverableError: recoverable });
    });
    await check(container.querySelector('[data-liveness-session]')!, container);
    expect(errors).not.toHaveBeenCalled();
    expect(recoverable).not.toHaveBeenCalled();
  } finally {
    act(() => hydrated?.unmount());
    container.remove();
  }
}
