// @vitest-environment node
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from '../../src/core/wire/fetchJson';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { parseSessionResponse } from '../../src/core/wire/parseSessionResponse';
import { parseStatusResponse } from '../../src/core/wire/parseStatusResponse';
import { validateLink } from '../../src/core/wire/validateLink';

// The library's own error messages are sentences for developers only: an app's production build
// (`process.env.NODE_ENV` set to "production", as every bundler does) leaves just the code. These
// tests bundle the client entry the way such a build does, with esbuild (the bundler size-limit uses).

const repo = join(__dirname, '..', '..');
const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret&lng=en';
const TOKEN = 'FAKE-TOKEN-not-a-secret';

/**
 * Every development-only sentence in src/core, read from the source (the literal after each
 * `process.env.NODE_ENV !== 'production' && `), as it appears in a minified bundle: `"…"`, or a
 * template's start up to its first `${`. Quoted, because the display text has similar sentences
 * ("The request was cancelled. Please try again.") that must stay.
 */
function devSentences(): string[] {
  const sentences: string[] = [];
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []));
  for (const file of walk(join(repo, 'src', 'core'))) {
    // Code only: comments (JSDoc showing the pattern) are not sentences.
    const text = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n');
    for (const [, quoted] of text.matchAll(/process\.env\.NODE_ENV !== 'production' && ('[^']+'|`[^`]+`)/g)) {
      sentences.push(quoted!.startsWith('`') ? quoted!.split('${')[0]! : `"${quoted!.slice(1, -1)}"`);
    }
  }
  return [...new Set(sentences)];
}

async function bundleClient(nodeEnv: 'production' | 'development', entry = 'index.ts'): Promise<string> {
  const result = await build({
    entryPoints: [join(repo, 'src', entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    packages: 'external',
    define: { 'process.env.NODE_ENV': JSON.stringify(nodeEnv) },
    logLevel: 'silent',
  });
  expect(result.outputFiles).toHaveLength(1);
  return result.outputFiles[0]!.text;
}

type ClientEntry = typeof import('../../src/index');

/** What the error carries, for a function expected to throw one. */
function thrown(fn: () => unknown): LivenessError {
  try {
    fn();
  } catch (error) {
    return error as LivenessError;
  }
  throw new Error('expected a throw');
}

describe('error messages in a production build', () => {
  const sentences = devSentences();
  let production: string;
  let development: string;
  // The other client entry (react-liveness-session/assets, issue 26) makes errors of its own.
  let assetsProduction: string;
  let assetsDevelopment: string;

  beforeAll(async () => {
    [production, development, assetsProduction, assetsDevelopment] = await Promise.all([
      bundleClient('production'),
      bundleClient('development'),
      bundleClient('production', 'assets.ts'),
      bundleClient('development', 'assets.ts'),
    ]);
  });

  it('finds the development sentences in the source and in a development bundle (so the check below is not empty)', () => {
    expect(sentences.length).toBeGreaterThanOrEqual(25);
    expect(sentences).toContain('"The verification link must use https."');
    expect(sentences).toContain('"The server could not be reached."');
    expect(sentences).toContain('`The server answered with HTTP ');
    expect(sentences).toContain('"The upload stopped making progress."');
    for (const sentence of sentences) expect(development + assetsDevelopment, sentence).toContain(sentence);
  });

  it('drops every development sentence from the production bundle and keeps the codes', () => {
    for (const sentence of sentences) expect(production + assetsProduction, sentence).not.toContain(sentence);
    for (const code of Object.values(LivenessErrorCode)) expect(production).toContain(`"${code}"`);
    // The sentences are most of what goes: the production bundle is clearly smaller.
    expect(development.length - production.length).toBeGreaterThan(1000);
  });

  it('makes errors whose message is the code alone (and so never a secret)', async () => {
    // Written where Node resolves the bundle's peer imports (react, @tanstack/react-query).
    const dir = join(repo, 'node_modules', '.cache', 'production-error-messages');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `client-${process.pid}-${Date.now()}.mjs`);
    writeFileSync(file, production);
    let client: ClientEntry;
    try {
      client = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ClientEntry;
    } finally {
      rmSync(file, { force: true });
    }

    const badLink = thrown(() => client.validateLink('javascript:alert(1)'));
    expect(badLink).toBeInstanceOf(client.LivenessError);
    expect(badLink).toMatchObject({ name: 'LivenessError', code: 'invalid_link', message: 'invalid_link' });

    const leaky = thrown(() => client.parseSessionResponse({ sessionId: 's_1', h5Link: LINK.replace('https:', 'ftp:') }));
    expect(leaky).toMatchObject({ code: 'invalid_link', message: 'invalid_link' });

    const badShape = thrown(() => client.parseSessionResponse({ BytedToken: TOKEN }));
    expect(badShape).toMatchObject({ code: 'invalid_link', message: 'invalid_link' });
    expect(thrown(() => client.parseSessionResponse([LINK]))).toMatchObject({ code: 'invalid_response', message: 'invalid_response' });
    expect(thrown(() => client.parseStatusResponse({ status: 'nope' }))).toMatchObject({ code: 'invalid_response', message: 'invalid_response' });
    const envelope = thrown(() => client.parseSessionResponse({ ResponseMetadata: { Error: { Code: 'InvalidParameter' } } }));
    expect(envelope).toMatchObject({ code: 'invalid_response', message: 'invalid_response', serverCode: 'InvalidParameter' });

    // The public constructor is unchanged: an app's own message stays as given.
    expect(new client.LivenessError('network', 'mine').message).toBe('mine');
  });
});

describe('error messages in development (and tests)', () => {
  it('are the full sentences, still without the link or the token', async () => {
    expect(process.env.NODE_ENV).not.toBe('production');
    expect(thrown(() => validateLink('javascript:alert(1)'))).toMatchObject({ code: 'invalid_link', message: 'The verification link must use https.' });
    expect(thrown(() => validateLink(`${LINK}${'x'.repeat(5000)}`))).toMatchObject({
      code: 'invalid_link',
      message: 'The verification link is longer than 4096 characters.',
    });
    const token = thrown(() => parseSessionResponse({ BytedToken: TOKEN }));
    expect(token).toMatchObject({ code: 'invalid_link', message: 'The verification link is missing or not text.' });
    expect(token.message).not.toContain(TOKEN);
    expect(thrown(() => parseSessionResponse([LINK]))).toMatchObject({ code: 'invalid_response', message: 'The session response is not a JSON object.' });
    expect(thrown(() => parseSessionResponse({ sessionId: 's_1', h5Link: LINK, statusUrl: 'javascript:alert(1)' }))).toMatchObject({
      code: 'invalid_response',
      message: 'The session response has an invalid "statusUrl".',
    });
    expect(thrown(() => parseStatusResponse({ status: 'nope' }))).toMatchObject({ code: 'invalid_response', message: 'The status response has an unknown status.' });

    const fetch = (async () => new Response('{}', { status: 502 })) as typeof globalThis.fetch;
    const http = await fetchJson('https://app.example.test/api', { method: 'GET', fetch, timeoutMs: 0 }).then(
      () => undefined,
      (error: unknown) => error as LivenessError,
    );
    expect(http).toBeInstanceOf(LivenessError);
    expect(http).toMatchObject({ code: 'http', status: 502, message: 'The server answered with HTTP 502.' });
  });
});
