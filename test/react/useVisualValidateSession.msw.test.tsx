import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { StrictMode, type ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useVisualValidateSession } from '../../src/react/useVisualValidateSession';

// The same checks as the fetch-mock tests, but through the global fetch the way an app uses it.
const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret';
const requests: Array<{ method: string; url: string; body: unknown }> = [];
const server = setupServer(
  http.post('*/api/liveness/sessions', async ({ request }) => {
    requests.push({ method: request.method, url: request.url, body: await request.json() });
    return HttpResponse.json({ sessionId: `sess_${requests.length}`, h5Link: LINK, expiresAt: '2030-01-01T00:00:00Z', statusUrl: `sessions/sess_${requests.length}` }, { status: 201 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests.length = 0;
});
afterAll(() => server.close());

function strictWrapper(client: QueryClient) {
  return ({ children }: { children: ReactNode }) => (
    <StrictMode>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </StrictMode>
  );
}

describe('useVisualValidateSession over the global fetch (msw)', () => {
  it('makes exactly one POST under StrictMode to an absolute endpoint', async () => {
    const { result } = renderHook(() => useVisualValidateSession({ endpoint: 'https://app.example.test/api/liveness/sessions', locale: 'zh-TW' }), {
      wrapper: strictWrapper(new QueryClient()),
    });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    await new Promise((r) => setTimeout(r, 30));
    expect(requests).toEqual([{ method: 'POST', url: 'https://app.example.test/api/liveness/sessions', body: { locale: 'zh-Hant', pageUrl: location.href } }]);
    expect(result.current.session?.statusUrl).toBe('https://app.example.test/api/liveness/sessions/sess_1');
  });

  it('works with a relative endpoint, resolved against the page', async () => {
    const { result } = renderHook(() => useVisualValidateSession({ endpoint: '/api/liveness/sessions' }), { wrapper: strictWrapper(new QueryClient()) });
    await waitFor(() => expect(result.current.status).toBe('ready'));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe(new URL('/api/liveness/sessions', location.href).toString());
  });
});
