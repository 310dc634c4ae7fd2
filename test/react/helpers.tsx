import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, type ReactNode } from 'react';
import { vi } from 'vitest';

export const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret&lng=en';
export const LINK_2 = 'https://h5.example.test/authorization?pl=FAKE-second-not-a-secret&lng=en';
export const ENDPOINT = 'https://app.example.test/api/liveness/sessions';

export type Reply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'reject'; error?: unknown }
  | { kind: 'hang' };

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
    calls.push({ url: String(input), init, body });
    const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
    if (reply.kind === 'reject') throw reply.error ?? new TypeError('Failed to fetch');
    if (reply.kind === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')), { once: true });
      });
    }
    const payload =
      typeof reply.body === 'function' ? (reply.body as (n: number) => unknown)(counter) : reply.body;
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
