// @vitest-environment node
// Anyfast answers errors in three shapes (UPSTREAM.md, "Learned since"); the useful code of a relayed
// BytePlus error is inside `message`, as a JSON document in a string. Each shape maps to the same small
// failure type, and nothing of the body leaves the client.
import { describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/server/upstream/upstreamClient.js';

function client(respond: () => Response) {
  return new UpstreamClient({ apiKey: 'FAKE-key', upstreamUrl: 'https://upstream.example.test', fetch: async () => respond(), timeoutMs: 1000, clock: Date.now });
}

const relayed = (code: string, status = 400) =>
  Response.json(
    {
      code: status,
      message: JSON.stringify({ ResponseMetadata: { RequestId: 'FAKE-req', Action: 'GetVisualValidateResult', Error: { Code: code, Message: 'FAKE detail' } } }),
      data: null,
    },
    { status },
  );

describe('UpstreamClient reads all three Anyfast error shapes', () => {
  it.each([
    ['relayed NotFound.BytedToken (code nested in message), HTTP 400', () => relayed('NotFound.BytedToken'), 'not_found'],
    ['relayed NotFound.BytedToken inside a 200', () => relayed('NotFound.BytedToken', 200), 'not_found'],
    ['relayed Throttling, HTTP 400', () => relayed('Throttling'), 'unavailable'],
    ['relayed ValidateNotReady', () => relayed('ValidateNotReady'), 'not_ready'],
    [
      'gateway { error: { type, code, message } } ValidateNotReady',
      () => Response.json({ error: { type: 'upstream_error', code: 'ValidateNotReady', message: 'not finished or expired, can poll' } }, { status: 400 }),
      'not_ready',
    ],
    ['gateway { error } NotFound.BytedToken with a 500', () => Response.json({ error: { type: 'upstream_error', code: 'NotFound.BytedToken', message: 'x' } }, { status: 500 }), 'not_found'],
    ['plain { code, message: text } with a string code', () => Response.json({ code: 'RateLimitExceeded', message: 'slow down' }, { status: 400 }), 'unavailable'],
    ['plain { code: 500, message: text }', () => Response.json({ code: 500, message: 'internal error' }, { status: 500 }), 'http'],
    ['plain { code: 401 } in a 200', () => Response.json({ code: 401, message: 'invalid token' }), 'unauthorized'],
    ['a message that is not JSON but looks like it', () => Response.json({ code: 400, message: '{"ResponseMetadata": ' }, { status: 400 }), 'http'],
  ] as const)('%s → %s', async (_name, respond, kind) => {
    const result = await client(respond).getResult('FAKE-token');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.kind).toBe(kind);
    expect(JSON.stringify(result)).not.toContain('FAKE');
  });

  it('a relayed GroupType error is the wrong key group', async () => {
    const result = await client(() => Response.json({ code: 403, message: 'This token cannot be used: GroupType must be one of [AIGC]', data: null }, { status: 403 })).createSession(
      'https://app.example.test/cb',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ kind: 'unauthorized', wrongKeyGroup: true });
  });

  it('an answer with a GroupId is still an answer', async () => {
    const result = await client(() => Response.json({ GroupId: 'group-20260702221642-abcde' })).getResult('FAKE-token');
    expect(result).toMatchObject({ ok: true, value: { groupId: 'group-20260702221642-abcde' } });
  });
});
