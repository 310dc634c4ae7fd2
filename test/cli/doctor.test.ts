// @vitest-environment node
// `npx react-liveness-session doctor`, run as a child process (the bundled bin, as npm installs it)
// against the mock upstream and a real handler on a free port, one run per known misconfiguration:
// its lines and exit codes, and that no run ever prints a key, an H5 link or a token.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../scripts/lib/buildCli.mjs';
import { createLivenessHandler, memoryStore, toNodeHandler, type LivenessHandler } from '../../src/server.js';
import { createMockUpstream, type MockKeyFault, type MockUpstream } from '../../src/testing.js';
import { freePort } from '../freePort.js';
import { skipRedis, startRedis, type RedisServer } from '../server/redisServer.js';

// Keys that look real, so that a leak of any of them would be found by the scan at the end.
const KEYS = {
  ok: 'sk-doctor-ok-5f2b8c1e9a7d40368e1c',
  invalid: 'sk-doctor-invalid-9e4a1c7f3b2d5068',
  wrongGroup: 'sk-doctor-aigc-3c8e1a5f7b2d9046af',
  missingCallbackUrl: 'sk-doctor-nocb-7a1f5c3e9b2d4086',
  rateLimited: 'sk-doctor-busy-2d6b8f4a1c9e3057',
  hang: 'sk-doctor-slow-8b3e5a7c1f9d2064',
  serverError: 'sk-doctor-five-4f9a2c6e8b1d3075',
  resultDenied: 'sk-doctor-deny-6c1e3a9f5b7d2048',
} as const;
const FAULTS: Record<string, MockKeyFault> = {
  [KEYS.invalid]: 'invalidKey',
  [KEYS.wrongGroup]: 'wrongGroup',
  [KEYS.missingCallbackUrl]: 'missingCallbackUrl',
  [KEYS.rateLimited]: 'rateLimited',
  [KEYS.hang]: 'hang',
  [KEYS.serverError]: 'serverError',
  [KEYS.resultDenied]: 'resultDenied',
};
const REDIS_PASSWORD = 'redis-doctor-pw-1e5c9a3f7b';

// Each test starts Node (and some a redis-server) as child processes: on a busy 2-core machine that
// alone can take seconds.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

let dir: string;
let cli: string;
let server: Server;
let origin: string;
let mock: MockUpstream;
const runs: Run[] = [];

/** Runs the doctor with `args` and the key in `env`; every run is kept for the secret scan. */
function doctor(args: string[], env: Record<string, string> = { ANYFAST_API_KEY: KEYS.ok }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'doctor', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      const run = { code, stdout, stderr, lines: stdout.split('\n').filter((line) => line !== '') };
      runs.push(run);
      resolve(run);
    });
  });
}

/** The doctor against the mock and the handler this file serves, with the given key. */
const against = (key: string, extra: string[] = []) => doctor(['--public-url', origin, '--upstream-url', `${origin}/mock`, ...extra], { ANYFAST_API_KEY: key });

const line = (run: Run, check: string) => run.lines.find((text) => text.slice(2).startsWith(`${check}:`));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liveness-doctor-'));
  cli = await buildCli(join(dir, 'cli.js'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  mock = createMockUpstream({ apiKey: KEYS.ok, publicUrl: `${origin}/mock`, keyFaults: FAULTS });
  const handler = createLivenessHandler({ apiKey: KEYS.ok, publicUrl: origin, upstreamUrl: `${origin}/mock`, fetch: mock.fetch });
  // A second app whose store is down: its health route answers 503.
  const down = memoryStore();
  const broken: LivenessHandler = createLivenessHandler({
    apiKey: KEYS.ok,
    publicUrl: origin,
    basePath: '/down',
    store: { ...down, get: async () => Promise.reject(new Error('store down')) },
  });
  const toMock = toNodeHandler(mock);
  const toHandler = toNodeHandler(handler);
  const toBroken = toNodeHandler(broken);
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/mock/')) return toMock(req, res);
    if (req.url?.startsWith('/down/')) return toBroken(req, res);
    return toHandler(req, res);
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('doctor against the mock upstream', () => {
  it('a working setup: every check passes but plain http on 127.0.0.1 (a warning); exit 0', async () => {
    const before = mock.calls.length;
    const run = await against(KEYS.ok);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(line(run, 'key')).toBe('✓ key: ANYFAST_API_KEY is set (the key is never shown).');
    expect(line(run, 'publicUrl')).toBe(
      `! publicUrl: ${origin} is plain http on this machine: fine for a try, but phones reach only a public https address; the handler sends CallbackURL ${origin}/api/liveness/callback?sid=<session id>.`,
    );
    expect(line(run, 'create')).toMatch(/^✓ create: Anyfast created a session for this CallbackURL: H5 link on 127\.0\.0\.1, token of \d+ characters\.$/);
    expect(line(run, 'result')).toBe('✓ result: a result call on the new token answered "not finished" (404 NotFound.BytedToken): the key may read results.');
    expect(line(run, 'health')).toBe(`✓ health: ${origin}/api/liveness/health answered 200 {"status":"ok"}.`);
    expect(line(run, 'redis')).toBe('- redis: not checked (pass --redis-url to check the Redis a redisStore will use).');
    expect(run.lines.at(-1)).toBe('No check failed, 1 warning.');
    // One create with the CallbackURL the handler would send, one result call on its token.
    expect(mock.calls.slice(before).map((call) => `${call.action} ${call.status}`)).toEqual(['create 200', 'result 404']);
    const created = [...mock.sessions.values()].at(-1)!;
    expect(created.callbackUrl).toBe(`${origin}/api/liveness/callback?sid=doctor`);
    expect(line(run, 'create')).toContain(`token of ${created.bytedToken.length} characters`);
  });

  it('ANYFAST_API_KEY not set: ✗ key, no create; exit 1', async () => {
    const run = await doctor(['--public-url', origin, '--upstream-url', `${origin}/mock`], {});
    expect(run.code).toBe(1);
    expect(line(run, 'key')).toBe(
      '✗ key: ANYFAST_API_KEY is not set. Export your Anyfast API key (a key of the Byteplus-Direct group) as ANYFAST_API_KEY, or name the variable that holds it with --key-env NAME.',
    );
    expect(line(run, 'create')).toBe('- create: not tried: fix the key first.');
    expect(line(run, 'result')).toBe('- result: not tried: it needs the token of a new session.');
    expect(run.lines.at(-1)).toBe('1 check failed, 1 warning.');
  });

  it.each([
    ['a placeholder', 'your-anyfast-api-key-here', 'holds a placeholder, not a key'],
    ['the .env quotes kept', `"${KEYS.ok}"`, 'is wrapped in quotes'],
    ['"Bearer " in front', `Bearer ${KEYS.ok}`, 'starts with "Bearer "'],
    ['a line break inside', `${KEYS.ok}\n${KEYS.ok}`, 'contains spaces or line breaks'],
  ])('a key with %s: ✗ key, named by its variable only; exit 1', async (_name, value, says) => {
    const run = await doctor(['--public-url', origin, '--upstream-url', `${origin}/mock`, '--key-env', 'MY_ANYFAST_KEY'], { MY_ANYFAST_KEY: value });
    expect(run.code).toBe(1);
    expect(line(run, 'key')).toMatch(new RegExp(`^✗ key: MY_ANYFAST_KEY ${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('--key-env reads the key from another variable', async () => {
    const run = await doctor(['--public-url', origin, '--upstream-url', `${origin}/mock`, '--key-env', 'LIVENESS_KEY'], { LIVENESS_KEY: KEYS.ok });
    expect(run.code).toBe(0);
    expect(line(run, 'key')).toBe('✓ key: LIVENESS_KEY is set (the key is never shown).');
  });

  it.each([
    [[], '✗ publicUrl: not given. Pass --public-url with the https address at which phones reach this app'],
    [['--public-url', 'app.example.com'], '✗ publicUrl: is not an absolute URL.'],
    [['--public-url', 'http://app.example.com'], '✗ publicUrl: http://app.example.com is plain http. Phones and Anyfast need https'],
    [['--public-url', 'https://app.example.com/?next=1'], '✗ publicUrl: https://app.example.com/ was given with a query or fragment.'],
    [['--public-url', 'https://app.example.com#top'], '✗ publicUrl: https://app.example.com/ was given with a query or fragment.'],
    [['--public-url', 'https://user:pw@app.example.com'], '✗ publicUrl: carries a user name or password.'],
    [['--public-url', 'ftp://app.example.com'], '✗ publicUrl: must be an https address, not ftp:.'],
  ])('publicUrl %j: %s; no create; exit 1', async (args, says) => {
    const before = mock.stats.create;
    const run = await doctor([...args, '--upstream-url', `${origin}/mock`]);
    expect(run.code).toBe(1);
    expect(line(run, 'publicUrl')).toMatch(new RegExp(`^${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(line(run, 'create')).toBe('- create: not tried: fix publicUrl first.');
    expect(mock.stats.create).toBe(before);
    expect(run.stdout).not.toContain('pw@');
  });

  it('https publicUrl: ✓ with the CallbackURL the handler sends, basePath included', async () => {
    const run = await doctor(['--public-url', 'https://app.example.com/', '--base-path', '/verify/', '--upstream-url', `${origin}/mock`, '--no-create']);
    expect(line(run, 'publicUrl')).toBe('✓ publicUrl: https://app.example.com; the handler sends CallbackURL https://app.example.com/verify/callback?sid=<session id>.');
  });

  it('a key of the wrong group: ✗ create, "create a key in the Byteplus-Direct group"; exit 1', async () => {
    const run = await against(KEYS.wrongGroup);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe(
      '✗ create: the key belongs to the wrong group (Anyfast: "GroupType must be one of [AIGC]"). Create a key in the Byteplus-Direct group in Anyfast\'s console and put it in ANYFAST_API_KEY.',
    );
    expect(line(run, 'result')).toBe('- result: not tried: no session was created.');
  });

  it('an invalid key: ✗ create, refused (401); exit 1', async () => {
    const run = await against(KEYS.invalid);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe("✗ create: Anyfast refused the key (401). Check that ANYFAST_API_KEY holds the whole key as Anyfast's console shows it, and that it was not revoked.");
  });

  it('Anyfast says CallbackURL is missing: ✗ create, something drops the body; exit 1', async () => {
    const run = await against(KEYS.missingCallbackUrl);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe(
      "✗ create: Anyfast says CallbackURL is missing (400 MissingParameter.CallbackURL), though the doctor sent it. Something between here and Anyfast drops or rewrites the request body (a proxy, a gateway at --upstream-url): call Anyfast's API directly.",
    );
  });

  it("rate limited: ✗ create with the upstream's Retry-After; exit 1", async () => {
    const run = await against(KEYS.rateLimited);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe(
      '✗ create: rate limited (429 RateLimitExceeded, retry after 2 s). The account allows about 3 calls per second for each action, shared by every server using the key: try again in a moment, and keep upstreamRateLimit on in production.',
    );
  });

  it('no answer in time: ✗ create after --timeout-ms; exit 1', async () => {
    const run = await against(KEYS.hang, ['--timeout-ms', '300']);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toMatch(/^✗ create: no answer within 0\.3 s\. Anyfast holds the connection while it relays/);
  });

  it('any other answer: ✗ create with the status and code, never the body; exit 1', async () => {
    const run = await against(KEYS.serverError);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe(
      '✗ create: Anyfast answered 500 InternalError. Its answer is not shown (it may echo the request); try again, and report the status and code to Anyfast if it stays.',
    );
    expect(run.stdout).not.toContain('simulated');
  });

  it('a key that may create but not read results: ✓ create, ✗ result; exit 1', async () => {
    const run = await against(KEYS.resultDenied);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toMatch(/^✓ create:/);
    expect(line(run, 'result')).toMatch(/^✗ result: Anyfast refused the result call \(403 AccessDenied\): the key may create sessions but not read their results/);
  });

  it("Anyfast unreachable: ✗ create with the network error's code; exit 1", async () => {
    const closed = await freePort();
    const run = await doctor(['--public-url', origin, '--upstream-url', `http://127.0.0.1:${closed}`]);
    expect(run.code).toBe(1);
    expect(line(run, 'create')).toBe(`✗ create: could not reach http://127.0.0.1:${closed} (ECONNREFUSED). Check the network, DNS and --upstream-url.`);
  });

  it('--no-create: no upstream call at all, create and result shown as skipped; exit 0', async () => {
    const before = mock.calls.length;
    const run = await against(KEYS.ok, ['--no-create']);
    expect(run.code).toBe(0);
    expect(line(run, 'create')).toBe('- create: skipped (--no-create).');
    expect(line(run, 'result')).toBe('- result: skipped: it needs the token of a new session (--no-create).');
    expect(mock.calls.length).toBe(before);
  });

  it('health route answering 404 (wrong basePath): a warning only; exit 0', async () => {
    const run = await against(KEYS.ok, ['--base-path', '/wrong']);
    expect(run.code).toBe(0);
    expect(line(run, 'health')).toBe(
      `! health: ${origin}/wrong/health answered 404: no handler at this path. Check --base-path, and that the proxy or router in front sends {basePath}/* to the handler.`,
    );
  });

  it('health route answering 503 (its store is down): a warning naming the store', async () => {
    const run = await against(KEYS.ok, ['--base-path', '/down', '--no-create']);
    expect(line(run, 'health')).toBe(`! health: ${origin}/down/health answered 503: the handler runs, but its session store does not answer. Check the store (Redis: is it up, is the URL right?).`);
  });

  it('publicUrl nobody answers at: a warning that phones must reach it; exit 0 (the create still ran)', async () => {
    const closed = await freePort();
    const run = await doctor(['--public-url', `http://127.0.0.1:${closed}`, '--upstream-url', `${origin}/mock`]);
    expect(run.code).toBe(0);
    expect(line(run, 'create')).toMatch(/^✓ create:/);
    expect(line(run, 'health')).toBe(
      `! health: http://127.0.0.1:${closed}/api/liveness/health could not be reached from here (ECONNREFUSED). Phones must reach publicUrl: deploy the handler there, and check DNS, TLS and the proxy in front of it.`,
    );
  });

  it('--json: one document with every check, ok false when one failed', async () => {
    const good = await against(KEYS.ok, ['--json']);
    expect(good.code).toBe(0);
    const body = JSON.parse(good.stdout) as { ok: boolean; checks: { check: string; status: string }[] };
    expect(body.ok).toBe(true);
    expect(body.checks.map((entry) => `${entry.check} ${entry.status}`)).toEqual(['key ok', 'publicUrl warn', 'create ok', 'result ok', 'health ok', 'redis skip']);
    const bad = await against(KEYS.wrongGroup, ['--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, checks: expect.arrayContaining([expect.objectContaining({ check: 'create', status: 'fail' })]) });
  });

  it('a bad command line: exit 2 and a message on stderr that echoes no value', async () => {
    for (const args of [['--bogus'], [KEYS.ok], ['--timeout-ms', 'soon'], ['--key-env', KEYS.ok], [`--${KEYS.ok}`]]) {
      const run = await doctor(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^react-liveness-session doctor: .+\nRun npx react-liveness-session doctor --help for the options\.\n$/);
    }
  });

  it('--help: the options, exit 0', async () => {
    const run = await doctor(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--public-url', '--base-path', '--key-env', '--upstream-url', '--redis-url', '--no-create', '--json']) expect(run.stdout).toContain(flag);
  });
});

describe.skipIf(skipRedis)('doctor --redis-url against real redis-server', () => {
  const servers: RedisServer[] = [];
  const start = async (args: string[] = []) => {
    const redis = await startRedis(args);
    servers.push(redis);
    return redis;
  };
  afterAll(async () => {
    for (const redis of servers) await redis.stop();
  });

  it('a working Redis: ✓ PING, a Lua script and a publish/subscribe round trip', async () => {
    const redis = await start();
    const run = await against(KEYS.ok, ['--no-create', '--redis-url', redis.url]);
    expect(run.code).toBe(0);
    expect(line(run, 'redis')).toMatch(
      new RegExp(`^✓ redis: ${redis.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} answered PING, ran a Lua script \\(EVAL\\) and passed a message through publish/subscribe, in \\d+ ms\\.$`),
    );
  });

  it('with a password: ✓ when the URL carries it, ✗ NOAUTH without it, ✗ WRONGPASS with another; the password never printed', async () => {
    const redis = await start(['--requirepass', REDIS_PASSWORD]);
    const port = new URL(redis.url).port;
    const withPassword = await against(KEYS.ok, ['--no-create', '--redis-url', `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}/1`]);
    expect(withPassword.code).toBe(0);
    expect(line(withPassword, 'redis')).toMatch(new RegExp(`^✓ redis: redis://127\\.0\\.0\\.1:${port}/1 answered PING`));
    const without = await against(KEYS.ok, ['--no-create', '--redis-url', redis.url]);
    expect(without.code).toBe(1);
    expect(line(without, 'redis')).toMatch(/^✗ redis: .* answered PING with an error \(NOAUTH .*\): it needs a password; put it in the URL/);
    const wrong = await against(KEYS.ok, ['--no-create', '--redis-url', `redis://:not-the-password@127.0.0.1:${port}`]);
    expect(wrong.code).toBe(1);
    expect(line(wrong, 'redis')).toMatch(/^✗ redis: redis:\/\/127\.0\.0\.1:\d+ refused the credentials in --redis-url \(WRONGPASS/);
    expect(wrong.stdout).not.toContain('not-the-password');
  });

  it('a Redis without Lua (EVAL renamed away): ✗ redis, redisStore needs scripts', async () => {
    const redis = await start(['--rename-command', 'EVAL', '']);
    const run = await against(KEYS.ok, ['--no-create', '--redis-url', redis.url]);
    expect(run.code).toBe(1);
    expect(line(run, 'redis')).toMatch(/^✗ redis: .* answers PING, but a Lua script failed \(ERR unknown command 'EVAL'.*\)\. redisStore runs every write as a script/);
  });

  it('a Redis without pub/sub (SSUBSCRIBE and SUBSCRIBE renamed away): ✗ redis, with the way out (subscriber: false)', async () => {
    const redis = await start(['--rename-command', 'SUBSCRIBE', '', '--rename-command', 'SSUBSCRIBE', '']);
    const run = await against(KEYS.ok, ['--no-create', '--redis-url', redis.url]);
    expect(run.code).toBe(1);
    expect(line(run, 'redis')).toMatch(/^✗ redis: .* runs scripts, but publish\/subscribe failed \(ERR unknown command 'SUBSCRIBE'.*\)\..*subscriber: false/);
  });

  it('no Redis at the address: ✗ redis, could not connect', async () => {
    const closed = await freePort();
    const run = await against(KEYS.ok, ['--no-create', '--redis-url', `redis://127.0.0.1:${closed}`]);
    expect(run.code).toBe(1);
    expect(line(run, 'redis')).toBe(`✗ redis: could not connect to redis://127.0.0.1:${closed} (ECONNREFUSED). Check --redis-url, and that this machine may reach Redis (firewall, TLS: rediss://).`);
  });
});

// docs/going-to-production.md shows the doctor's output for each known misconfiguration, from runs like
// these: a second server (the mock, whose own key is `mock-key-working`, and a handler) stands at the
// documented 127.0.0.1:4010, three redis-servers at 6379 (working), 6380 (no EVAL) and 6381 (no
// SUBSCRIBE). Every documented command is run and must print what the page shows (ports mapped back,
// the Redis round trip's milliseconds aside). `UPDATE_DOCS=1` writes the outputs of this run into the page.
describe('docs/going-to-production.md: the doctor prints what the page shows', () => {
  const DOC = join(__dirname, '..', '..', 'docs', 'going-to-production.md');
  const DOC_FAULTS: Record<string, MockKeyFault> = {
    'mock-key-wrong-group': 'wrongGroup',
    'mock-key-revoked': 'invalidKey',
    'mock-key-no-callback': 'missingCallbackUrl',
    'mock-key-rate-limited': 'rateLimited',
    'mock-key-never-answers': 'hang',
    'mock-key-server-error': 'serverError',
    'mock-key-no-results': 'resultDenied',
  };
  const blocks = [...readFileSync(DOC, 'utf8').matchAll(/^```console\n(\$ [^\n]*npx react-liveness-session doctor[^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    command: match[1]!,
    output: match[2]!,
  }));
  const ports = new Map<string, string>();
  let docServer: Server;
  const redises: RedisServer[] = [];

  beforeAll(async () => {
    docServer = createServer();
    await new Promise<void>((resolve) => docServer.listen(0, '127.0.0.1', resolve));
    const port = String((docServer.address() as net.AddressInfo).port);
    ports.set('4010', port);
    const docOrigin = `http://127.0.0.1:${port}`;
    const docMock = createMockUpstream({ apiKey: 'mock-key-working', publicUrl: `${docOrigin}/mock`, keyFaults: DOC_FAULTS });
    const toMock = toNodeHandler(docMock);
    const toHandler = toNodeHandler(createLivenessHandler({ apiKey: 'mock-key-working', publicUrl: docOrigin, upstreamUrl: `${docOrigin}/mock`, fetch: docMock.fetch }));
    docServer.on('request', (req, res) => (req.url?.startsWith('/mock/') ? toMock(req, res) : toHandler(req, res)));
    if (!skipRedis) {
      for (const [docPort, args] of [
        ['6379', []],
        ['6380', ['--rename-command', 'EVAL', '']],
        ['6381', ['--rename-command', 'SUBSCRIBE', '', '--rename-command', 'SSUBSCRIBE', '']],
      ] as const) {
        const redis = await startRedis(args);
        redises.push(redis);
        ports.set(docPort, new URL(redis.url).port);
      }
    }
  });

  afterAll(async () => {
    for (const redis of redises) await redis.stop();
    docServer?.closeAllConnections();
    await new Promise((resolve) => docServer?.close(resolve));
  });

  const toActual = (text: string) => text.replace(/127\.0\.0\.1:(\d+)/g, (whole, port: string) => `127.0.0.1:${ports.get(port) ?? port}`);
  const toDoc = (text: string) => {
    const back = new Map([...ports].map(([doc, actual]) => [actual, doc]));
    return text.replace(/127\.0\.0\.1:(\d+)/g, (whole, port: string) => `127.0.0.1:${back.get(port) ?? port}`);
  };
  const steady = (text: string) => text.replace(/in \d+ ms\./g, 'in N ms.');

  it('shows a run for each known misconfiguration', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(14);
    for (const fault of Object.keys(DOC_FAULTS))
      expect(
        blocks.some((block) => block.command.includes(`ANYFAST_API_KEY=${fault} `)),
        fault,
      ).toBe(true);
  });

  it('every documented command prints what the page shows', async () => {
    const outputs: string[] = [];
    for (const block of blocks) {
      if (skipRedis && block.command.includes('--redis-url')) {
        outputs.push(block.output);
        continue;
      }
      const words = toActual(block.command.slice(2))
        .split(' ')
        .map((word) => word.replace(/^"(.*)"$/, '$1'));
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(words[0]!)) {
        const [name, ...value] = words.shift()!.split('=');
        env[name!] = value.join('=');
      }
      expect(words.slice(0, 3)).toEqual(['npx', 'react-liveness-session', 'doctor']);
      const run = await doctor(words.slice(3), env);
      expect(run.stderr).toBe('');
      outputs.push(toDoc(run.stdout));
    }
    if (process.env.UPDATE_DOCS) {
      let doc = readFileSync(DOC, 'utf8');
      blocks.forEach((block, i) => (doc = doc.replace(`${block.command}\n${block.output}`, `${block.command}\n${outputs[i]}`)));
      writeFileSync(DOC, doc);
      return;
    }
    blocks.forEach((block, i) => expect(steady(outputs[i]!), block.command).toBe(steady(block.output)));
  });
});

describe('doctor output, every run above', () => {
  it('never carries a key, an H5 link, a token or the Redis password, on stdout or stderr', () => {
    expect(runs.length).toBeGreaterThan(20);
    const sessions = [...mock.sessions.values()];
    expect(sessions.length).toBeGreaterThan(3);
    const secrets = [...Object.values(KEYS), REDIS_PASSWORD, ...sessions.flatMap((session) => [session.h5Link, session.bytedToken])];
    for (const run of runs) {
      const output = run.stdout + run.stderr;
      for (const secret of secrets) expect(output.includes(secret), `a secret in: ${output.slice(0, 200)}`).toBe(false);
      // Not even a part: no run of 12 characters of any key.
      for (const key of Object.values(KEYS)) {
        for (let i = 0; i + 12 <= key.length; i += 1) expect(output.includes(key.slice(i, i + 12))).toBe(false);
      }
    }
  });
});
