// @vitest-environment node
// Issue 29, item 1: a create request without `locale` (a backend client that sends `{}`, an older
// browser half, curl) gets the H5 page in the language its `Accept-Language` prefers among English,
// Simplified and Traditional Chinese, the same rule the browser half applies; English when the header
// names none of them or is missing. The link always carries `lng`: the upstream page's own default is
// Chinese.
import { describe, expect, it } from 'vitest';
import { preferredWireLocale } from '../../../src/core/preferredLocale.js';
import { acceptedLanguages } from '../../../src/server/http/acceptLanguage.js';
import { createSession, postSession, setup } from '../helpers.js';

async function lngFor(acceptLanguage: string | undefined, body: Record<string, unknown> = {}) {
  const s = setup();
  const response = await postSession(s.handler, body, acceptLanguage === undefined ? {} : { 'Accept-Language': acceptLanguage });
  expect(response.status).toBe(201);
  const { h5Link } = (await response.json()) as { h5Link: string };
  return new URL(h5Link).searchParams.getAll('lng');
}

describe('the H5 page language of a create request without locale', () => {
  it.each([
    ['no Accept-Language', 'en', undefined],
    ['an English browser', 'en', 'en-US,en;q=0.9'],
    ['a Simplified Chinese browser', 'zh', 'zh-CN,zh;q=0.9,en;q=0.8'],
    ['a Traditional Chinese browser', 'zh-Hant', 'zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7'],
    ['a Hong Kong browser', 'zh-Hant', 'zh-HK'],
    ['a script subtag', 'zh', 'zh-Hans-HK'],
    ['q-values, not the order, decide', 'zh', 'en;q=0.5, zh-CN;q=0.9'],
    ['a language refused with q=0', 'en', 'zh-CN;q=0, en;q=0.1'],
    ['none of the three', 'en', 'fr-FR, de;q=0.5'],
    ['none of the three, then Chinese', 'zh', 'de, zh;q=0.8'],
    ['a wildcard', 'en', '*'],
    ['garbage', 'en', ';;;,,q=abc, ==='],
  ])('%s → lng=%s', async (_name, lng, header) => {
    expect(await lngFor(header)).toEqual([lng]);
  });

  it('a locale in the body wins over Accept-Language', async () => {
    expect(await lngFor('zh-CN', { locale: 'en' })).toEqual(['en']);
    expect(await lngFor('en-US', { locale: 'zh-Hant' })).toEqual(['zh-Hant']);
  });

  it('a huge Accept-Language costs nothing and gets the default', async () => {
    expect(await lngFor(`${'fr-FR;q=0.5, '.repeat(700)}zh-CN`)).toEqual(['en']);
  });

  it('a body with locale null is a body without locale', async () => {
    const s = setup();
    const created = await createSession(s.handler, { locale: null });
    expect(new URL(created.h5Link).searchParams.getAll('lng')).toEqual(['en']);
  });
});

describe('the rule both halves share', () => {
  it('takes the first supported language in order, English when none', () => {
    expect(preferredWireLocale(['fr', 'zh-TW', 'en'])).toBe('zh-Hant');
    expect(preferredWireLocale(['EN-gb'])).toBe('en');
    expect(preferredWireLocale(['zh-Hant'])).toBe('zh-Hant');
    expect(preferredWireLocale(['zh-MO'])).toBe('zh-Hant');
    expect(preferredWireLocale(['zh-Hans-TW'])).toBe('zh');
    expect(preferredWireLocale(['english', 'zhx'])).toBe('en');
    expect(preferredWireLocale([])).toBe('en');
  });

  it('reads Accept-Language by q-value, stable for equal weights, at most a few dozen entries', () => {
    expect(acceptedLanguages('da, en-gb;q=0.8, en;q=0.7')).toEqual(['da', 'en-gb', 'en']);
    expect(acceptedLanguages('en;q=0.7, zh;q=0.7, fr')).toEqual(['fr', 'en', 'zh']);
    expect(acceptedLanguages('en;q=0, zh')).toEqual(['zh']);
    expect(acceptedLanguages(null)).toEqual([]);
    expect(acceptedLanguages('x,'.repeat(10_000)).length).toBeLessThanOrEqual(32);
  });
});
