// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore, type StoredSession } from '../../src/server.js';
import { SlidingWindows } from '../../src/server/upstream/slidingWindows.js';
import { BASE, PUBLIC_URL, createSession, fakeClock, session, setup, tokenOf } from './helpers.js';

const KINDS = ['verified', 'failed', 'pending', 'expired', 'unknown', 'neutral'];

/** Query values an attacker might try: the right ones, near misses, junk, unicode, encodings. */
function value(right: string) {
  return fc.oneof(
    fc.constant(right),
    fc.constant(`${right}X`),
    fc.constant(right.slice(0, -1)),
    fc.constant(''),
    fc.constant('10000'),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('%00', '%ZZ', '\u0000', '<script>alert(1)</script>', '../../', '10000\n', ' 10000', '１００００', '1e4'),
  );
}

describe('property: callback query parsing', () => {
  it('arbitrary queries never verify without the upstream, never throw, never answer 5xx, call upstream at most once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            sid: fc.boolean(),
            sidValue: fc.string({ maxLength: 70 }),
            bytedToken: fc.boolean(),
            tokenValue: fc.string({ maxLength: 40 }),
            resultCode: value('10000'),
            repeatParams: fc.boolean(),
          },
          { requiredKeys: ['sid', 'bytedToken', 'resultCode', 'repeatParams'] },
        ),
        fc.webQueryParameters(),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.boolean(),
        async (shape, extraQuery, rawJunk, personPassed) => {
          const s = setup();
          const created = await createSession(s.handler);
          const token = tokenOf(created.h5Link);
          if (personPassed) s.mock.decide(token, 'pass');
          const params = new URLSearchParams();
          const sid = shape.sid ? created.sessionId : (shape.sidValue ?? '');
          params.append('sid', sid);
          // Absent (only the id, as read from the QR), wrong, empty, or right.
          if (shape.bytedToken) params.append('bytedToken', token);
          else if (shape.tokenValue !== undefined) params.append('bytedToken', shape.tokenValue);
          params.append('resultCode', shape.resultCode);
          if (shape.repeatParams) params.append('resultCode', '10000');
          let url: string;
          try {
            url = `${PUBLIC_URL}${BASE}/callback?${params.toString()}&${extraQuery}&${rawJunk}`;
            new URL(url);
          } catch {
            fc.pre(false);
            return;
          }
          const response = await s.handler(new Request(url));
          expect(response.status).toBeLessThan(500);
          expect([200, 303, 404]).toContain(response.status);
          const html = await response.text();
          const kind = /data-liveness-callback="([a-z]+)"/.exec(html)?.[1];
          expect(KINDS).toContain(kind);
          expect(html).not.toContain('<script>');
          expect(s.mock.stats.result).toBeLessThanOrEqual(1);
          const status = (await s.handler.getSession(created.sessionId))!.status;
          if (status === 'verified') {
            // Only one way in: the real id, the real token, the success code, and an upstream GroupId.
            const parsed = new URL(url).searchParams;
            expect(parsed.get('sid')).toBe(created.sessionId);
            expect(parsed.get('bytedToken')).toBe(token);
            expect(parsed.get('resultCode')).toBe('10000');
            expect(personPassed).toBe(true);
            expect(s.mock.calls.some((call) => call.action === 'result' && call.status === 200)).toBe(true);
          }
          // Without the real token nothing may change at all.
          if (new URL(url).searchParams.get('bytedToken') !== token) {
            expect(status).toBe('pending');
            expect(s.mock.stats.result).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('property: memoryStore eviction', () => {
  type Op =
    | { op: 'create'; life: number }
    | { op: 'get'; pick: number }
    | { op: 'update'; pick: number; to: 'checking' | 'failed'; stale: boolean }
    | { op: 'delete'; pick: number }
    | { op: 'advance'; ms: number };

  const ops = fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('create' as const), life: fc.integer({ min: 1, max: 5000 }) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), pick: fc.nat(), to: fc.constantFrom('checking' as const, 'failed' as const), stale: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 3000 }) }) },
    ),
    { maxLength: 120 },
  );

  it('matches a model that holds at most maxSessions, drops purgeable sessions first, then the oldest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), ops, async (maxSessions, sequence: Op[]) => {
        const clock = fakeClock();
        const store = memoryStore({ maxSessions, clock: clock.now });
        // The model: insertion-ordered ids with their purge time and status.
        const model = new Map<string, { purgeAt: number; status: StoredSession['status']; version: number }>();
        const ids: string[] = [];
        const livePurge = (id: string) => {
          const entry = model.get(id);
          if (entry && clock.now() >= entry.purgeAt) model.delete(id);
          return model.get(id);
        };
        for (const step of sequence) {
          if (step.op === 'create') {
            const id = `s${ids.length}`;
            ids.push(id);
            const now = clock.now();
            if (model.size >= maxSessions) {
              for (const [key, entry] of model) if (now >= entry.purgeAt) model.delete(key);
              while (model.size >= maxSessions) model.delete(model.keys().next().value!);
            }
            model.set(id, { purgeAt: now + step.life, status: 'pending', version: 0 });
            expect(model.size).toBeLessThanOrEqual(maxSessions);
            await store.create(session(id, now, { expiresAt: now + step.life, purgeAt: now + step.life }));
            expect((await store.get(id))?.id).toBe(id);
          } else if (step.op === 'advance') {
            clock.advance(step.ms);
          } else if (ids.length > 0) {
            const id = ids[step.pick % ids.length]!;
            if (step.op === 'get') {
              expect(Boolean(await store.get(id))).toBe(Boolean(livePurge(id)));
            } else if (step.op === 'update') {
              // A writer that read the current version wins; one that read an older one loses.
              const entry = livePurge(id);
              const expected = entry ? entry.version - (step.stale ? 1 : 0) : 0;
              const won = Boolean(entry) && !step.stale;
              if (won) {
                entry!.status = step.to;
                entry!.version += 1;
              }
              expect(Boolean(await store.update(id, expected, { status: step.to }))).toBe(won);
            } else {
              model.delete(id);
              await store.delete(id);
            }
          }
        }
        // Finally every id, present or not, must agree with the model, and the bound holds.
        let present = 0;
        for (const id of ids) {
          const expected = livePurge(id);
          const actual = await store.get(id);
          expect(actual?.status).toBe(expected?.status);
          if (actual) present += 1;
        }
        expect(present).toBeLessThanOrEqual(maxSessions);
      }),
      { numRuns: 300 },
    );
  });
});

describe('property: upstream rate limiter', () => {
  it('never allows more than the limit in any window, for arbitrary arrival times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 10, max: 2000 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 200 }), (requests, perMs, gaps) => {
        let now = 0;
        const windows = new SlidingWindows(() => now);
        const granted: number[] = [];
        for (const [i, gap] of gaps.entries()) {
          now += gap;
          const result = windows.take({ bucket: 'b', slotId: String(i), limit: requests, windowMs: perMs });
          if (result.ok) granted.push(now);
          else expect(result.retryAfterMs).toBeGreaterThanOrEqual(1);
        }
        for (const start of granted) {
          expect(granted.filter((at) => at >= start && at < start + perMs).length).toBeLessThanOrEqual(requests);
        }
      }),
      { numRuns: 500 },
    );
  });
});
