// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerClock } from '../../src/core/lifecycle/ServerClock';

const LOCAL = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const httpDate = (ms: number) => new Date(ms).toUTCString();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(LOCAL);
});
afterEach(() => vi.useRealTimers());

describe('ServerClock', () => {
  it('knows nothing until an answer tells: offset 0, the local clock', () => {
    const clock = new ServerClock();
    expect(clock).toMatchObject({ offset: 0, known: false });
    expect(clock.now()).toBe(LOCAL);
    clock.learn(LOCAL, LOCAL, null, { sessionId: 'x' });
    clock.learn(LOCAL, LOCAL, 'not a date', null);
    expect(clock.known).toBe(false);
  });

  it.each([-600_000, -60_000, 0, 60_000, 600_000])('learns an offset of %i ms to the millisecond from expiresAt − expiresInMs', (skew) => {
    const clock = new ServerClock();
    const written = LOCAL + 40 + skew; // the server wrote it 40 ms into a 100 ms round trip
    clock.learn(LOCAL, LOCAL + 100, httpDate(written), { expiresAt: iso(written + 120_000), expiresInMs: 120_000 });
    expect(clock.known).toBe(true);
    // The largest lower bound: the answer could have been written as late as its arrival.
    expect(clock.offset).toBe(skew - 60);
    expect(clock.offset).toBeLessThanOrEqual(skew);
  });

  it.each([-600_000, -60_250, 60_750, 600_000])('learns an offset of %i ms to within a second from the Date header alone, never too far ahead', (skew) => {
    const clock = new ServerClock();
    clock.learn(LOCAL, LOCAL, httpDate(LOCAL + skew), { expiresAt: iso(LOCAL + skew + 120_000) });
    expect(clock.offset).toBeLessThanOrEqual(skew);
    expect(clock.offset).toBeGreaterThan(skew - 1000);
  });

  it('tightens with more answers (the largest lower bound wins)', () => {
    const clock = new ServerClock();
    const skew = -60_700;
    // Date headers cut to the second: answers at different fractions of a second bound it better.
    for (const at of [0, 250, 500, 710]) clock.learn(LOCAL + at, LOCAL + at, httpDate(LOCAL + at + skew), {});
    expect(clock.offset).toBeLessThanOrEqual(skew);
    expect(clock.offset).toBeGreaterThan(skew - 50);
  });

  it('a past-expiry answer (expiresInMs 0) says only "at least expiresAt", and counts as a clock', () => {
    const clock = new ServerClock();
    clock.learn(LOCAL, LOCAL + 10, null, { expiresAt: iso(LOCAL - 60_000), expiresInMs: 0 });
    expect(clock.known).toBe(true);
    expect(clock.offset).toBe(-60_010);
    // An exact answer later replaces that loose bound.
    clock.learn(LOCAL, LOCAL, null, { expiresAt: iso(LOCAL + 5_000), expiresInMs: 10_000 });
    expect(clock.offset).toBe(-5_000);
  });

  it('starts over when this browser’s clock jumps (a new answer’s upper bound falls below what it believed)', () => {
    const clock = new ServerClock();
    clock.learn(LOCAL, LOCAL, null, { expiresAt: iso(LOCAL + 120_000), expiresInMs: 120_000 });
    expect(clock.offset).toBe(0);
    // The user sets this clock 10 minutes ahead: the server now looks 10 minutes behind.
    vi.setSystemTime(LOCAL + 600_000 + 5_000);
    const now = Date.now();
    clock.learn(now, now, null, { expiresAt: iso(LOCAL + 5_000 + 115_000), expiresInMs: 115_000 });
    expect(clock.offset).toBe(-600_000);
    expect(clock.now()).toBe(LOCAL + 5_000);
  });
});
