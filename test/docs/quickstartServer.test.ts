// @vitest-environment node
// Issue 29, item 6: the README's quick start runs. Its Express server (docs/examples/quickstart/server/
// express.ts, imported as it is, which imports liveness.ts, currentUser.ts and db.ts) listens on a real
// port; a phone's requests go to it over HTTP: create a session as a signed-in user, open the QR code's
// short link, press Pass on the mock upstream's page, follow the redirect to the callback. Its
// `onVerified` then stores the GroupId for that user, and the page hears `verified` only afterwards.
//
// What stands in for what:
//   - Anyfast: the package's mock upstream, on its own port. liveness.ts calls the default upstream
//     address (no `upstreamUrl`), so the global `fetch` sends https://www.anyfast.ai/* there (the
//     upstream boundary: nothing else is redirected).
//   - PostgreSQL: PGlite (@electric-sql/pglite, PostgreSQL compiled to WebAssembly, in this process)
//     behind the `pg` module: `new pg.Pool(…).query(text, values)` runs the example's own SQL on it.
//     The table is created from the DDL in db.ts's comment, so the SQL, the schema and the values (a
//     Date for timestamptz) must agree for real.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { toNodeHandler } from '../../src/server.js';
import { createMockUpstream } from '../../src/testing.js';
import { readRepoFile } from './markdown.js';
import { urlOf } from '../fetchInput.js';
import { freePort } from '../freePort.js';

const database = vi.hoisted(() => ({ db: undefined as unknown as { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> } }));

// node-postgres's Pool, as the examples use it (`query(text, values)` → `{ rows }`), on PGlite.
vi.mock('pg', () => {
  class Pool {
    constructor(readonly options: { connectionString?: string }) {}
    query(text: string, values?: unknown[]) {
      return database.db.query(text, values);
    }
  }
  return { default: { Pool }, Pool };
});

const ANYFAST = 'https://www.anyfast.ai';
const SESSION_COOKIE = 'session=FAKE-session-token-of-user-1';

/** The DDL written in db.ts's comment, as SQL. */
function tableFromDbComment(): string {
  const comment = readRepoFile('docs/examples/quickstart/server/db.ts')
    .split('\n')
    .filter((line) => line.startsWith('//   '))
    .map((line) => line.slice(5))
    .join('\n');
  expect(comment).toMatch(/^CREATE TABLE liveness_verifications \(/);
  return comment;
}

const realFetch = globalThis.fetch;
const mock = createMockUpstream(); // accepts the key 'test-key-not-secret'
const mockServer = http.createServer(toNodeHandler(mock));
let appServer: http.Server;
let appUrl = '';
let mockUrl = '';
let pglite: PGlite;
const savedEnv = { ...process.env };

beforeAll(async () => {
  pglite = await PGlite.create();
  database.db = pglite;
  await pglite.exec(tableFromDbComment());
  // The sign-in of currentUser.ts: `SELECT user_id FROM user_sessions WHERE token = $1 AND expires_at > now()`.
  await pglite.exec('CREATE TABLE user_sessions (token text PRIMARY KEY, user_id text NOT NULL, expires_at timestamptz NOT NULL)');
  await pglite.query("INSERT INTO user_sessions VALUES ($1, 'user-1', now() + interval '1 hour')", [SESSION_COOKIE.split('=')[1]]);

  await new Promise<void>((resolve) => mockServer.listen(0, '127.0.0.1', resolve));
  mockUrl = `http://127.0.0.1:${(mockServer.address() as AddressInfo).port}`;
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (!url.startsWith(`${ANYFAST}/`)) return realFetch(input, init);
    const body = input instanceof Request ? input : undefined;
    return realFetch(`${mockUrl}${url.slice(ANYFAST.length)}`, body ? ({ method: body.method, headers: body.headers, body: body.body, duplex: 'half' } as RequestInit) : init);
  });

  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { PORT: String(port), ANYFAST_API_KEY: 'test-key-not-secret', PUBLIC_URL: appUrl, DATABASE_URL: 'postgres://pglite.invalid/app' });
  // express.ts calls `app.listen(PORT)` and exports nothing: catch the server Express makes, to close it.
  const createServer = vi.spyOn(http, 'createServer');
  await import('../../docs/examples/quickstart/server/express.js');
  appServer = createServer.mock.results[0]!.value as http.Server;
  createServer.mockRestore();
  if (!appServer.listening) await new Promise((resolve) => appServer.once('listening', resolve));
}, 60_000);

afterAll(async () => {
  vi.unstubAllGlobals();
  appServer?.closeAllConnections();
  await new Promise((resolve) => appServer?.close(resolve) ?? resolve(undefined));
  mockServer.closeAllConnections();
  await new Promise((resolve) => mockServer.close(resolve));
  await pglite?.close();
  process.env = savedEnv;
});

beforeEach(() => {
  vi.spyOn(console, 'info').mockImplementation(() => undefined); // the example's onEvent log lines
});

/** A request to the app, as a browser or a phone sends it; redirects are returned, not followed. */
const app = (path: string, init: RequestInit = {}) => realFetch(new URL(path, appUrl), { redirect: 'manual', ...init });
const create = (headers: Record<string, string> = {}) => app('/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });

describe('the quick start’s Express server, run for real', () => {
  it('refuses a signed-out browser: 403, and no upstream session is made', async () => {
    const response = await create();
    expect(response.status).toBe(403);
    expect(mock.stats.create).toBe(0);
  });

  it('a signed-in person passes on the phone: onVerified stores the GroupId for that user, before the page hears verified', async () => {
    const created = await create({ Cookie: SESSION_COOKIE });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { sessionId: string; statusUrl: string; qrUrl: string };

    // The phone: the QR code's short link → the H5 page (the mock's) → Pass → the app's callback.
    const short = await app(session.qrUrl);
    expect(short.status).toBeGreaterThanOrEqual(300);
    const h5Link = short.headers.get('location')!;
    expect(h5Link.startsWith(`${mockUrl}/`)).toBe(true);
    const page = await (await realFetch(h5Link)).text();
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&'), h5Link);
    const fields = new URLSearchParams([...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    fields.set('outcome', 'pass');
    const decided = await realFetch(action, { method: 'POST', body: fields, redirect: 'manual' });
    expect(decided.status).toBe(302);
    const callback = new URL(decided.headers.get('location')!);
    expect(callback.origin).toBe(appUrl);
    expect((await app(`${callback.pathname}${callback.search}`)).status).toBeLessThan(500);

    // The desktop polls its status until the outcome (the callback started the result call).
    let status: { status: string; groupId?: string } = { status: 'pending' };
    for (let i = 0; i < 100 && status.status === 'pending'; i += 1) {
      status = (await (await app(session.statusUrl, { headers: { Cookie: SESSION_COOKIE } })).json()) as typeof status;
      if (status.status === 'pending') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.status).toBe('verified');
    expect(status.groupId).toMatch(/^group-/);

    // What onVerified wrote: one row, for the signed-in user, with the GroupId and a real timestamp.
    const { rows } = await pglite.query<{ session_id: string; user_id: string; group_id: string; verified_at: Date }>('SELECT * FROM liveness_verifications');
    expect(rows).toEqual([{ session_id: session.sessionId, user_id: 'user-1', group_id: status.groupId, verified_at: expect.any(Date) }]);
    expect(Math.abs(Date.now() - rows[0]!.verified_at.getTime())).toBeLessThan(60_000);
    expect(mock.stats.result).toBe(1);
  }, 30_000);
});
