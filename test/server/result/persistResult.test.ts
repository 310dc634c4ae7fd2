// @vitest-environment node
// Issue 16: the GroupId reaches the app's own records once and durably. `onVerified` runs on the
// server, is awaited before a session turns `verified`, is retried (driven by requests and timers)
// while it fails, and the GroupId stays in the store meanwhile, whatever `retainMs` says. Fake timers:
// nothing here waits for real time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LivenessHandlerOptions, VerifiedSession } from '../../../src/server.js';
import { createSession, elapse, getStatus, postSession, settle, setup, successfulResults, tokenOf } from '../helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function pass(s: ReturnType<typeof setup>, h5Link: string) {
  return settle(s.handler(new Request(s.mock.decide(tokenOf(h5Link), 'pass')!)));
}

describe('server-side onVerified', () => {
  it('receives the GroupId, the subject and the result code once, before the session reads verified', async () => {
    const calls: VerifiedSession[] = [];
    let statusDuringHook: string | undefined;
    const s = setup({
      authorize: () => ({ subject: 'user-42' }),
      onVerified: async (result) => {
        statusDuringHook = (await getStatus(s.handler, result.sessionId)).status;
        calls.push(result);
      },
    });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    await elapse(5_000);
    const status = await getStatus(s.handler, created.sessionId);
    expect(status.status).toBe('verified');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ sessionId: created.sessionId, groupId: status.groupId, subject: 'user-42', resultCode: '10000' });
    expect(calls[0]!.verifiedAt).toBeInstanceOf(Date);
    // Awaited before `verified`: while it ran, the desktop was still told "pending".
    expect(statusDuringHook).toBe('pending');
  });

  it('throwing twice, then succeeding: never verified before it succeeded, then verified, one result call', async () => {
    let attempts = 0;
    const seen: string[] = [];
    const s = setup({
      onVerified: async () => {
        attempts += 1;
        if (attempts <= 2) throw new Error('database is down');
      },
    });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    for (let i = 0; i < 20 && attempts < 3; i += 1) {
      const status = await getStatus(s.handler, created.sessionId);
      seen.push(attempts < 3 ? status.status : 'after');
      if (attempts < 3) {
        expect(status.status).toBe('pending');
        // The desktop says the result is being confirmed, and learns no GroupId yet.
        expect(status.checkingSince).toBeDefined();
        expect(status.groupId).toBeUndefined();
      }
      await elapse(1_000);
    }
    expect(attempts).toBe(3);
    const after = await getStatus(s.handler, created.sessionId);
    expect(after.status).toBe('verified');
    expect(after.groupId).toMatch(/^group-/);
    expect(successfulResults(s.mock)).toBe(1);
    expect(s.mock.stats.result).toBe(1);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('keeps the GroupId past retainMs while the hook keeps failing, and hands it over once it works', async () => {
    let healthy = false;
    const delivered: string[] = [];
    const s = setup({
      retainMs: 1_000,
      sessionTtlMs: 5_000,
      onVerified: async ({ groupId }) => {
        if (!healthy) throw new Error('database is down');
        delivered.push(groupId);
      },
    });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    // Far beyond the link's life, the result window and retainMs.
    await elapse(30 * 60_000, 5_000);
    const waiting = await s.handler.getSession(created.sessionId);
    expect(waiting?.status).toBe('pending');
    healthy = true;
    // The back-off has grown to a minute: within one more, the hook gets it.
    for (let waited = 0; delivered.length === 0 && waited < 70_000; waited += 1_000) await elapse(1_000);
    // Read at once: once verified, the session is kept only retainMs (1 s) more.
    const done = await s.handler.getSession(created.sessionId);
    expect(done?.status).toBe('verified');
    expect(delivered).toEqual([done!.groupId]);
    expect(s.mock.stats.result).toBe(1);
  });

  it('a hook that never answers is timed out (onVerifiedTimeoutMs) and called again, with an aborted signal', async () => {
    const signals: AbortSignal[] = [];
    const s = setup({
      onVerifiedTimeoutMs: 2_000,
      onVerified: (_result, { signal }) => {
        signals.push(signal);
        if (signals.length === 1) return new Promise(() => {});
        return undefined;
      },
    });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    await elapse(10_000);
    expect(signals.length).toBe(2);
    expect(signals[0]!.aborted).toBe(true);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
  });

  it('gives up after onVerifiedWindowMs: failed with reason unconfirmed and an event, never verified', async () => {
    const failed: unknown[] = [];
    const s = setup({
      onVerifiedWindowMs: 60_000,
      onVerified: async () => {
        throw new Error('never works');
      },
      onFailed: (result) => {
        failed.push(result);
      },
    });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    await elapse(70_000, 1_000);
    const status = await getStatus(s.handler, created.sessionId);
    expect(status).toMatchObject({ status: 'failed', reason: 'unconfirmed' });
    expect(status.groupId).toBeUndefined();
    expect(s.events.some((event) => event.type === 'session.failed' && event.code === 'on_verified_gave_up')).toBe(true);
    expect(failed).toEqual([{ sessionId: created.sessionId, reason: 'unconfirmed', resultCode: '10000' }]);
  });

  it('never logs: onEvent carries neither the GroupId nor the subject', async () => {
    const s = setup({ authorize: () => ({ subject: 'user-SUBJECT-7f3a' }), onVerified: async () => {} });
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    await elapse(5_000);
    const { groupId } = await getStatus(s.handler, created.sessionId);
    const text = JSON.stringify(s.events);
    expect(groupId).toBeTruthy();
    expect(text).not.toContain(groupId!);
    expect(text).not.toContain('user-SUBJECT-7f3a');
  });
});

describe('server-side onFailed', () => {
  it('is called once with the reason and subject when the phone reports a failed check; its errors change nothing', async () => {
    const calls: unknown[] = [];
    const s = setup({
      authorize: () => ({ subject: 'user-9' }),
      onFailed: (result) => {
        calls.push(result);
        throw new Error('the app crashed');
      },
    });
    const created = await createSession(s.handler);
    const url = s.mock.decide(tokenOf(created.h5Link), 'fail')!.replace('resultCode=10001', 'resultCode=40003');
    const callback = await settle(s.handler(new Request(url)));
    expect(callback.status).toBe(200);
    // A replay of the callback changes nothing and calls nothing.
    await settle(s.handler(new Request(url)));
    await elapse(1_000);
    expect(calls).toEqual([{ sessionId: created.sessionId, subject: 'user-9', reason: 'device', resultCode: '40003' }]);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('failed');
  });
});

describe('options', () => {
  it.each<[string, Partial<LivenessHandlerOptions>]>([
    ['onVerifiedTimeoutMs', { onVerifiedTimeoutMs: 0 }],
    ['onVerifiedWindowMs', { onVerifiedWindowMs: -1 }],
  ])('rejects a bad %s at creation', (_name, options) => {
    expect(() => setup(options)).toThrow(/createLivenessHandler/);
  });

  it('a create without onVerified behaves as before: verified as soon as the upstream answers', async () => {
    const s = setup();
    const created = await createSession(s.handler);
    await pass(s, created.h5Link);
    expect((await getStatus(s.handler, created.sessionId)).status).toBe('verified');
    expect((await postSession(s.handler)).status).toBe(201);
  });
});
