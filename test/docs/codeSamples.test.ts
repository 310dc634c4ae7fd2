// @vitest-environment node
// Issue 25, item 2: every TypeScript sample of the README, SECURITY.md, CONTRIBUTING.md, docs/ and the
// Storybook MDX pages is type-checked: shown from a file under docs/examples/ (test/docs/examples.test.ts),
// copied from the sources (test/docs/typesReference.test.ts), compiled here with `tsc` against src/
// (test/docs/codeSamples.ts says how), or, rarely and with a reason, opted out.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSamples, typedSamples } from './codeSamples.js';
import { documentationPages, repo } from './markdown.js';

const mdx = readdirSync(new URL('stories/', repo))
  .filter((name) => name.endsWith('.mdx'))
  .map((name) => `stories/${name}`);
const samples = typedSamples([...documentationPages(), ...mdx]);
const where = (sample: { page: string; line: number }) => `${sample.page}:${sample.line}`;

describe('the TypeScript samples of the docs', () => {
  it('are many, and most are compiled here', () => {
    const compiled = samples.filter((sample) => sample.kind === 'compiled');
    expect(compiled.length).toBeGreaterThanOrEqual(10);
    expect(samples.filter((sample) => sample.kind === 'file').length).toBeGreaterThanOrEqual(6);
  });

  it('compile with tsc against the sources', async () => {
    const { errors } = await compileSamples(samples.filter((sample) => sample.kind === 'compiled'));
    expect(errors.map((error) => `${error.page}:${error.line} ${error.message}`)).toEqual([]);
  }, 120_000);

  it('opt out rarely, and each says why', () => {
    const optedOut = samples.filter((sample) => sample.kind === 'opted-out');
    for (const sample of optedOut) expect(sample.kind === 'opted-out' && sample.reason.length, `${where(sample)} gives a reason`).toBeGreaterThanOrEqual(30);
    expect(optedOut.map(where).length).toBeLessThanOrEqual(4);
  });

  it('the check fails on a broken sample, on the page’s own line', async () => {
    const page = 'docs/server.md';
    const broken = {
      page,
      line: 100,
      lang: 'ts',
      above: '',
      kind: 'compiled' as const,
      code: "import { createLivenessHandler } from 'react-liveness-session/server';\n\ncreateLivenessHandler({ apiKey: 42 });\n",
    };
    const fine = { ...broken, line: 200, code: "import { createLivenessHandler } from 'react-liveness-session/server';\n\ncreateLivenessHandler({ apiKey: 'k' });\n" };
    const { errors } = await compileSamples([broken, fine], { outDir: '.tmp/doc-samples-selftest' });
    expect(errors).toEqual([{ page, line: 103, message: expect.stringMatching(/error TS2322: Type 'number' is not assignable to type 'string'/) }]);
  }, 120_000);
});
