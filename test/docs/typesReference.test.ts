// @vitest-environment node
// Issue 29, item 7: docs/types.md shows the types a reader needs (the state union, the error codes, the
// browser's and the server's payloads, the display text keys) copied from the sources, so the page
// cannot drift from the code. `UPDATE_DOCS=1 npx vitest run test/docs/typesReference.test.ts` rewrites
// its generated regions after a change of the code.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultDisplayTextEn } from '../../src/react/text/displayText.js';
import { sendLinkTextEn } from '../../src/react/sendLink/sendLinkTextEn.js';
import { LivenessErrorCode } from '../../src/core/LivenessError.js';
import { LivenessStatus } from '../../src/core/lifecycle/livenessState.js';
import { readRepoFile, repo } from './markdown.js';
import { declarationOf, generateRegion, REGION, regenerate } from './typeDeclarations.js';

const PAGE = 'docs/types.md';
const page = readRepoFile(PAGE);
const regions = [...page.matchAll(REGION)].map((match) => ({ spec: match[2]!, body: match[3]! }));

if (process.env.UPDATE_DOCS === '1') writeFileSync(new URL(PAGE, repo), regenerate(page));

describe(PAGE, () => {
  it.each(regions.map((region) => [region.spec, region.body]))('%s is as the code has it', (spec, body) => {
    expect(body).toBe(generateRegion(spec));
  });

  it('shows the state union, the error codes, both halves’ payloads and the display text', () => {
    const shown = regions.map((region) => region.spec).join('\n');
    for (const name of [
      'LivenessState',
      'LivenessCallbacks',
      'LivenessErrorCode',
      'SessionData',
      'VerifiedSession',
      'FailedSession',
      'OnVerifiedContext',
      'CreateSessionResponse',
      'SessionStatusResponse',
      'display text table',
      'send-link text table',
    ]) {
      expect(shown, name).toContain(name);
    }
  });

  it('names every state, every error code and every display text key', () => {
    for (const status of Object.values(LivenessStatus)) expect(page, status).toContain(`status: '${status}'`);
    for (const code of Object.values(LivenessErrorCode)) expect(page, code).toContain(`'${code}'`);
    for (const key of [...Object.keys(defaultDisplayTextEn), ...Object.keys(sendLinkTextEn)]) expect(page, key).toContain(`| \`${key}\` |`);
  });

  it('says where each display text key shows (its JSDoc)', () => {
    for (const table of ['display text table', 'send-link text table'])
      expect(
        generateRegion(table)
          .split('\n')
          .filter((row) => /^\| `\w+` \|\s*\|/.test(row)),
      ).toEqual([]);
  });

  it('copies a declaration whole, with its JSDoc, and nothing after it', () => {
    const state = declarationOf('src/core/lifecycle/livenessState.ts', 'LivenessState');
    expect(state.startsWith('/**\n * The state, as one discriminated union')).toBe(true);
    expect(state.endsWith("| { status: 'error'; error: LivenessError };")).toBe(true);
    const codes = declarationOf('src/core/LivenessError.ts', 'LivenessErrorCode');
    expect(codes.endsWith('export type LivenessErrorCode = (typeof LivenessErrorCode)[keyof typeof LivenessErrorCode];')).toBe(true);
    expect(() => declarationOf('src/core/LivenessError.ts', 'NoSuchType')).toThrow(/NoSuchType/);
  });
});
