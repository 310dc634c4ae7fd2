// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BASE, createSession, errorInText, fakeClock, phoneFlow, request, setup } from '../helpers.js';

describe('GET {basePath}/l/:id', () => {
  it('302s to the H5 link while pending, with no-referrer and no-store', async () => {
    const { handler } = setup();
    const created = await createSession(handler, { locale: 'en' });
    const response = await handler(new Request(created.qrUrl!));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(created.h5Link);
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('gives a much shorter URL than the link (smaller QR code)', async () => {
    const { handler } = setup();
    const created = await createSession(handler);
    expect(created.h5Link.length).toBeGreaterThan(600);
    expect(created.qrUrl!.length).toBeLessThan(100);
  });

  it('410 once the session is decided', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await phoneFlow(s, created, 'pass');
    const response = await s.handler(new Request(created.qrUrl!));
    expect(response.status).toBe(410);
    const text = await response.text();
    expect(errorInText(text).code).toBe('session_gone');
    expect(text).not.toContain('http');
  });

  it('410 once the session has expired', async () => {
    const clock = fakeClock();
    const { handler } = setup({ clock: clock.now }, { clock: clock.now });
    const created = await createSession(handler);
    clock.advance(120_000);
    expect((await handler(new Request(created.qrUrl!))).status).toBe(410);
  });

  it('404 for an unknown or malformed key', async () => {
    const { handler } = setup();
    for (const key of ['x'.repeat(22), 'X'.repeat(26), 'x'.repeat(32), '..%2F..']) {
      expect((await handler(request(`${BASE}/l/${key}`))).status).toBe(404);
    }
  });

  it('matches the short link case-insensitively, so an upper-cased URL (uppercaseShortLink) reaches it', async () => {
    const { handler } = setup({ uppercaseShortLink: true });
    const created = await createSession(handler);
    expect(created.qrUrl).toMatch(/^HTTPS:\/\/APP\.EXAMPLE\.TEST\/API\/LIVENESS\/L\/[A-Z2-7]{26}$/);
    // Every character is in QR alphanumeric mode's set (0-9, A-Z, space, $%*+-./:).
    expect(created.qrUrl).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    const response = await handler(new Request(created.qrUrl!));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(created.h5Link);
    // The cookie's path is the one the phone sees.
    expect(response.headers.get('Set-Cookie')).toContain('Path=/API/LIVENESS;');
    // A router or rewrite that lower-cases the path still finds it.
    const lower = await handler(new Request(created.qrUrl!.toLowerCase(), { headers: { Cookie: response.headers.get('Set-Cookie')!.split(';')[0]! } }));
    expect(lower.status).toBe(302);
  });

  it('405 with Allow: GET, HEAD for POST', async () => {
    const { handler } = setup();
    const created = await createSession(handler);
    const response = await handler(new Request(created.qrUrl!, { method: 'POST' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });
});
