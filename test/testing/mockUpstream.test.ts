// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { appendCallbackParams, createMockUpstream, MOCK_DECIDE_PATH, type MockUpstreamOptions } from '../../src/testing.js';
import { bodyOf, relayedCode, type AnyfastCreateAnswer, type AnyfastErrorShape } from './anyfastAnswers.js';

const ORIGIN = 'https://mock.example.test';
const KEY = 'test-key-not-secret';
const CALLBACK = 'https://app.example.test/api/liveness/callback?sid=abc';

function api(mock: ReturnType<typeof createMockUpstream>, action: string, body: unknown, key: string | null = KEY) {
  return mock(
    new Request(`${ORIGIN}/volc/asset/${action}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key === null ? {} : { Authorization: `Bearer ${key}` }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

/** CreateVisualValidateSession's answer: Anyfast's flat shape, or BytePlus's envelope (`envelope: true`). */
type CreateBody = Partial<AnyfastCreateAnswer> & { ResponseMetadata?: unknown; Result?: AnyfastCreateAnswer };

async function create(options: MockUpstreamOptions = {}, callbackUrl = CALLBACK) {
  const mock = createMockUpstream(options);
  const response = await api(mock, 'CreateVisualValidateSession', { CallbackURL: callbackUrl });
  const body = await bodyOf<CreateBody>(response);
  return { mock, response, body, token: body.BytedToken as string, link: body.H5Link as string };
}

function decideRequest(token: string, outcome: string, lng = 'en') {
  return new Request(`${ORIGIN}${MOCK_DECIDE_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ bytedToken: token, outcome, lng }).toString(),
  });
}

describe('createMockUpstream: CreateVisualValidateSession', () => {
  it("answers Anyfast's flat shape with a long link of FAKE credentials on its own origin", async () => {
    const { response, body, link, token } = await create();
    expect(response.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['BytedToken', 'CallbackURL', 'H5Link']);
    expect(body.CallbackURL).toBe(CALLBACK);
    expect(token).toMatch(/^\d{14}[0-9A-F]{18}$/);
    expect(link.length).toBeGreaterThanOrEqual(600);
    expect(link.length).toBeLessThanOrEqual(1000);
    const url = new URL(link);
    expect(url.origin).toBe(ORIGIN);
    expect(url.pathname.startsWith('/h5/')).toBe(true);
    for (const name of ['accessKeyId', 'secretAccessKey', 'sessionToken', 'configId']) {
      expect(url.searchParams.get(name)).toMatch(/^FAKE/);
    }
    expect(url.searchParams.get('bytedToken')).toBe(token);
    expect(url.searchParams.get('lng')).toBe('zh');
  });

  it('uses publicUrl for the link origin when given', async () => {
    const { link } = await create({ publicUrl: 'http://127.0.0.1:9999' });
    expect(link.startsWith('http://127.0.0.1:9999/h5/')).toBe(true);
  });

  it('escapeAmpersands returns literal \\u0026 on the wire', async () => {
    const mock = createMockUpstream({ escapeAmpersands: true });
    const text = await (await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).text();
    // JSON text `\\u0026` decodes to the six characters `\u0026`, which is the gateway bug being simulated.
    expect(text).toContain('\\\\u0026');
    const link = (JSON.parse(text) as AnyfastCreateAnswer).H5Link;
    expect(link).toContain('\\u0026');
    expect(link).not.toContain('&');
    expect(link.replace(/\\u0026/g, '&')).toBe([...mock.sessions.values()][0]!.h5Link);
  });

  it('envelope wraps the answer like BytePlus', async () => {
    const { body } = await create({ envelope: true });
    expect(body.ResponseMetadata).toMatchObject({ Action: 'CreateVisualValidateSession', Version: '2024-01-01' });
    expect(body.Result?.H5Link).toMatch(/^https:/);
  });

  it('401 {error:{message}} without or with a wrong bearer key', async () => {
    const mock = createMockUpstream();
    for (const key of [null, 'wrong']) {
      const response = await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK }, key);
      expect(response.status).toBe(401);
      expect(typeof (await bodyOf<AnyfastErrorShape>(response)).error?.message).toBe('string');
    }
    expect(mock.stats.create).toBe(2);
    expect(mock.sessions.size).toBe(0);
  });

  it('a wrong-group key gets the GroupType error', async () => {
    const mock = createMockUpstream({ wrongGroupKeys: ['aigc-key'] });
    const response = await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK }, 'aigc-key');
    expect(response.status).toBe(403);
    expect((await bodyOf<AnyfastErrorShape>(response)).error?.message).toContain('GroupType must be one of [AIGC]');
  });

  it('keyFaults: each key gets its own misconfiguration on every call, the main key keeps working', async () => {
    const mock = createMockUpstream({
      keyFaults: { 'k-invalid': 'invalidKey', 'k-group': 'wrongGroup', 'k-nocb': 'missingCallbackUrl', 'k-denied': 'resultDenied', 'k-busy': 'rateLimited', 'k-broken': 'serverError' },
    });
    const createWith = (key: string) => api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK }, key);
    expect((await createWith('k-invalid')).status).toBe(401);
    const group = await createWith('k-group');
    expect(group.status).toBe(403);
    expect((await bodyOf<AnyfastErrorShape>(group)).error?.message).toContain('GroupType must be one of [AIGC]');
    const missing = await createWith('k-nocb');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'MissingParameter.CallbackURL', message: '[***.CallbackURL] The required parameter CallbackURL is missing.' } });
    for (let i = 0; i < 2; i += 1) {
      const busy = await createWith('k-busy');
      expect(busy.status).toBe(429);
      expect(busy.headers.get('Retry-After')).toBe('2');
      expect((await createWith('k-broken')).status).toBe(500);
    }
    // A key that may create but not read results.
    const created = await createWith('k-denied');
    expect(created.status).toBe(200);
    const { BytedToken } = await bodyOf<AnyfastCreateAnswer>(created);
    const denied = await api(mock, 'GetVisualValidateResult', { BytedToken }, 'k-denied');
    expect(denied.status).toBe(403);
    expect((await bodyOf<AnyfastErrorShape>(denied)).message).toContain('AccessDenied');
    expect((await createWith(KEY)).status).toBe(200);
  });

  it("keyFaults 'hang': the call answers only when its request is aborted", async () => {
    const mock = createMockUpstream({ keyFaults: { 'k-slow': 'hang' } });
    const controller = new AbortController();
    const pending = mock(
      new Request(`${ORIGIN}/volc/asset/CreateVisualValidateSession`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer k-slow' },
        body: JSON.stringify({ CallbackURL: CALLBACK }),
        signal: controller.signal,
      }),
    );
    let settled = false;
    void pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    controller.abort();
    await expect(pending).rejects.toBeDefined();
  });

  it('400 without CallbackURL, with a bad one, or with a non-JSON body', async () => {
    const mock = createMockUpstream();
    for (const body of [{}, { CallbackURL: '' }, { CallbackURL: 'not a url' }, '{oops']) {
      expect((await api(mock, 'CreateVisualValidateSession', body)).status).toBe(400);
    }
    expect(mock.sessions.size).toBe(0);
  });

  it('accepts a custom apiKey', async () => {
    const mock = createMockUpstream({ apiKey: 'custom' });
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK }, 'custom')).status).toBe(200);
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status).toBe(401);
  });
});

describe('createMockUpstream: H5 page and decision', () => {
  it('serves an English page with Pass and Fail buttons posting back to the mock', async () => {
    const { mock, link } = await create();
    const en = await mock(new Request(link.replace('lng=zh', 'lng=en')));
    expect(en.status).toBe(200);
    expect(en.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await en.text();
    expect(html).toContain('<html lang="en">');
    // Relative, so it resolves next to the page (the mock may sit under a path prefix).
    expect(html).toContain('<form method="post" action="decide">');
    expect(new URL('decide', link).pathname).toBe(MOCK_DECIDE_PATH);
    expect(html).toContain('>Pass</button>');
    expect(html).toContain('>Fail</button>');
    expect(html).toContain('value="camera" data-mock-outcome="camera">Camera error</button>');
    expect(html).toContain('value="liveness" data-mock-outcome="liveness">Face check fails</button>');
  });

  it('serves Chinese by default (lng=zh)', async () => {
    const { mock, link } = await create();
    const html = await (await mock(new Request(link))).text();
    expect(html).toContain('<html lang="zh">');
    expect(html).toContain('通过');
  });

  it.each([
    ['pass', '10000', '1'],
    ['fail', '10001', '0'],
    // Failures with a reason: a device problem and a failed liveness check (the ranges of failureReasonOf).
    ['camera', '40003', '0'],
    ['liveness', '41001', '0'],
  ])('%s redirects to CallbackURL with & and the documented parameters', async (outcome, resultCode, measure) => {
    const { mock, token } = await create();
    const response = await mock(decideRequest(token, outcome));
    expect(response.status).toBe(302);
    const location = response.headers.get('Location')!;
    expect(location).toBe(`${CALLBACK}&bytedToken=${token}&resultCode=${resultCode}&algorithmBaseRespCode=0&reqMeasureInfoValue=${measure}&verify_type=real_time`);
  });

  it('works under a path prefix given in publicUrl', async () => {
    const mock = createMockUpstream({ publicUrl: 'http://127.0.0.1:5173/mock-upstream/' });
    const created = await mock(
      new Request('http://127.0.0.1:5173/mock-upstream/volc/asset/CreateVisualValidateSession', {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ CallbackURL: CALLBACK }),
      }),
    );
    const link = (await bodyOf<AnyfastCreateAnswer>(created)).H5Link;
    expect(link.startsWith('http://127.0.0.1:5173/mock-upstream/h5/liveness-face/authorization?')).toBe(true);
    expect((await mock(new Request(link))).status).toBe(200);
    const decided = await mock(
      new Request(new URL('decide', link), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ bytedToken: new URL(link).searchParams.get('bytedToken')!, outcome: 'pass' }).toString(),
      }),
    );
    expect(decided.status).toBe(302);
    expect(decided.headers.get('Location')!.startsWith(`${CALLBACK}&bytedToken=`)).toBe(true);
  });

  it('uses ? for a CallbackURL without a query and keeps a fragment last', () => {
    expect(appendCallbackParams('https://a.test/cb', { a: '1' })).toBe('https://a.test/cb?a=1');
    expect(appendCallbackParams('https://a.test/cb?', { a: '1' })).toBe('https://a.test/cb?a=1');
    expect(appendCallbackParams('https://a.test/cb?x=1#f', { a: '1' })).toBe('https://a.test/cb?x=1&a=1#f');
  });

  it('a link works once: after a decision the page and the buttons refuse', async () => {
    const { mock, token, link } = await create();
    expect((await mock(decideRequest(token, 'pass'))).status).toBe(302);
    expect((await mock(decideRequest(token, 'fail'))).status).toBe(409);
    expect((await mock(new Request(link))).status).toBe(409);
  });

  it('expires after ttlMs', async () => {
    let now = 1_000_000;
    const { mock, token, link } = await create({ ttlMs: 1000, clock: () => now });
    now += 1000;
    expect((await mock(new Request(link))).status).toBe(410);
    expect((await mock(decideRequest(token, 'pass'))).status).toBe(410);
    expect(mock.decide(token, 'pass')).toBeUndefined();
  });

  it('404 page for an unknown token, 400 for a bad outcome', async () => {
    const { mock, token } = await create();
    expect((await mock(new Request(`${ORIGIN}/h5/liveness-face/authorization?bytedToken=nope`))).status).toBe(404);
    expect((await mock(decideRequest(token, 'maybe'))).status).toBe(400);
  });
});

describe('createMockUpstream: GetVisualValidateResult', () => {
  it('returns a GroupId once after Pass, then 404 NotFound.BytedToken', async () => {
    const { mock, token } = await create();
    mock.decide(token, 'pass');
    const first = await api(mock, 'GetVisualValidateResult', { BytedToken: token });
    expect(first.status).toBe(200);
    const { GroupId } = await bodyOf<{ GroupId: string }>(first);
    expect(GroupId).toMatch(/^group-\d{14}-[a-z0-9]{5}$/);
    const second = await api(mock, 'GetVisualValidateResult', { BytedToken: token });
    expect(second.status).toBe(404);
    expect((await bodyOf<AnyfastErrorShape>(second)).error?.code).toBe('NotFound.BytedToken');
    expect(mock.sessions.get(token)!.state).toBe('consumed');
    expect(mock.stats.result).toBe(2);
  });

  it('404 before Pass and after Fail', async () => {
    const { mock, token } = await create();
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: token })).status).toBe(404);
    mock.decide(token, 'fail');
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: token })).status).toBe(404);
  });

  it('400 without BytedToken, 401 without the key', async () => {
    const mock = createMockUpstream();
    expect((await api(mock, 'GetVisualValidateResult', {})).status).toBe(400);
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: 'x' }, null)).status).toBe(401);
  });
});

describe('createMockUpstream: faults and inspection', () => {
  it('failNext applies once, to the chosen action', async () => {
    const mock = createMockUpstream();
    mock.failNext('serverError', 'result');
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status).toBe(200);
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: 'x' })).status).toBe(500);
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: 'x' })).status).toBe(404);
  });

  it.each([
    ['html', 200, 'text/html'],
    ['truncatedJson', 200, 'application/json'],
    ['rateLimited', 429, 'application/json'],
    ['unavailable', 503, 'application/json'],
  ] as const)('failNext(%s) answers %i', async (fault, status, type) => {
    const mock = createMockUpstream();
    mock.failNext(fault);
    const response = await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK });
    expect(response.status).toBe(status);
    expect(response.headers.get('Content-Type')).toContain(type);
    const text = await response.text();
    if (fault !== 'rateLimited' && fault !== 'unavailable') expect((): unknown => JSON.parse(text)).toThrow();
    else expect(response.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('failNext(hang) never answers until the request is aborted', async () => {
    const mock = createMockUpstream();
    mock.failNext('hang');
    const controller = new AbortController();
    const pending = mock(
      new Request(`${ORIGIN}/volc/asset/CreateVisualValidateSession`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEY}` },
        body: '{}',
        signal: controller.signal,
      }),
    );
    const raced = await Promise.race([
      pending.then(
        () => 'answered',
        () => 'rejected',
      ),
      new Promise((r) => setTimeout(() => r('waiting'), 50)),
    ]);
    expect(raced).toBe('waiting');
    controller.abort();
    await expect(pending).rejects.toBeDefined();
  });

  it('latencyMs delays answers', async () => {
    const mock = createMockUpstream({ latencyMs: 60 });
    const started = Date.now();
    await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('errorRate uses the injected random source', async () => {
    const values = [0.1, 0.9, 0.2];
    const mock = createMockUpstream({ errorRate: 0.5, random: () => values.shift()! });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status);
    expect(statuses).toEqual([500, 200, 500]);
  });

  it('rateLimit answers 429 RateLimitExceeded with Retry-After beyond the window', async () => {
    let now = 0;
    const mock = createMockUpstream({ rateLimit: { requests: 2, perMs: 1000 }, clock: () => now });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK });
    expect(limited.headers.get('Retry-After')).toBe('1');
    expect((await bodyOf<AnyfastErrorShape>(limited)).error?.code).toBe('RateLimitExceeded');
    // Per action, like BytePlus: results are not limited by creations.
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: 'x' })).status).toBe(404);
    now += 1000;
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status).toBe(200);
  });

  it('records calls, exposes snapshots of sessions, and resets', async () => {
    const { mock, token } = await create();
    mock.sessions.get(token)!.state = 'passed';
    expect(mock.sessions.get(token)!.state).toBe('created');
    expect(mock.calls).toEqual([{ action: 'create', status: 200, at: expect.any(Number) }]);
    mock.failNext('serverError');
    mock.reset();
    expect(mock.stats).toEqual({ create: 0, result: 0, createAsset: 0, listAssets: 0, getAsset: 0 });
    expect(mock.calls).toEqual([]);
    expect(mock.sessions.size).toBe(0);
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: CALLBACK })).status).toBe(200);
  });

  it('fetch routes into the mock', async () => {
    const mock = createMockUpstream();
    const response = await mock.fetch(`${ORIGIN}/volc/asset/CreateVisualValidateSession`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ CallbackURL: CALLBACK }),
    });
    expect(response.status).toBe(200);
    expect(mock.stats.create).toBe(1);
  });

  it('404 for unknown paths', async () => {
    const mock = createMockUpstream();
    expect((await mock(new Request(`${ORIGIN}/nope`))).status).toBe(404);
  });
});

describe('createMockUpstream: Anyfast error shapes and results that are not ready yet', () => {
  it.each([
    ['gatewayError', 502, (body: AnyfastErrorShape) => typeof body.error?.type === 'string' && typeof body.error.code === 'string' && typeof body.error.message === 'string'],
    ['relayedError', 400, (body: AnyfastErrorShape) => body.data === null && relayedCode(body) === 'InternalError'],
    ['plainError', 500, (body: AnyfastErrorShape) => body.code === 500 && typeof body.message === 'string' && !body.message.startsWith('{')],
    ['notFound', 404, (body: AnyfastErrorShape) => body.data === null && relayedCode(body) === 'NotFound.BytedToken'],
    ['notReady', 400, (body: AnyfastErrorShape) => body.error?.code === 'ValidateNotReady'],
  ] as const)('failNext(%s) answers %i in its shape', async (fault, status, shape) => {
    const { mock, token } = await create();
    mock.decide(token, 'pass');
    mock.failNext(fault, 'result');
    const response = await api(mock, 'GetVisualValidateResult', { BytedToken: token });
    expect(response.status).toBe(status);
    expect(shape(await bodyOf<AnyfastErrorShape>(response))).toBe(true);
    // The token was not spent: the next call gets the GroupId.
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: token })).status).toBe(200);
  });

  it('notReadyMs: after Pass, result calls answer ValidateNotReady for that long, then the GroupId', async () => {
    let now = 1_000_000;
    const { mock, token } = await create({ notReadyMs: 5000, clock: () => now });
    mock.decide(token, 'pass');
    const early = await api(mock, 'GetVisualValidateResult', { BytedToken: token });
    expect(early.status).toBe(400);
    expect((await bodyOf<AnyfastErrorShape>(early)).error?.code).toBe('ValidateNotReady');
    now += 5000;
    expect((await api(mock, 'GetVisualValidateResult', { BytedToken: token })).status).toBe(200);
  });
});
