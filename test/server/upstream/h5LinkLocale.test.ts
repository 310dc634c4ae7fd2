// @vitest-environment node
// Issue 27: `setLinkLocale` walks the query once instead of splitting it, and each part again, into
// arrays (2 µs a create on the mock's 800-character link, which has an `lng` as BytePlus's links do).
// It must give what the split-and-join way gave: every other part byte for byte, its `lng` parts and
// empty parts dropped, `lng` last, the hash kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireLocale } from '../../../src/core/wire/protocol.js';
import { setLinkLocale } from '../../../src/server/upstream/h5LinkLocale.js';

/**
 * What the function did before its one-pass walk: split the query into parts and each part at `=`, drop
 * the empty ones and those named `lng`, join, `lng` last. The link is cut by one regular expression
 * (base, query after the first `?`, hash from the first `#`) rather than the same index arithmetic.
 */
function reference(link: string, locale: WireLocale): string {
  const [, base = '', query = '', hash = ''] = /^([^?#]*)(?:\?([^#]*))?(#.*)?$/s.exec(link)!;
  const kept = query.split('&').filter((part) => part !== '' && part.split('=')[0] !== 'lng');
  return `${base}?${[...kept, `lng=${encodeURIComponent(locale)}`].join('&')}${hash}`;
}

const locales = fc.constantFrom<WireLocale>('zh', 'en', 'zh-Hant');
// Query parts drawn to hit every case: `lng` in each form, names that only start with it, empty parts.
const part = fc.oneof(
  fc.constantFrom('', 'lng', 'lng=', 'lng=zh', 'lngx=1', 'xlng=1', 'lng%3D=1', 'a=lng', 'bytedToken=2026FAKE', 'sig=a%2Bb%3D', 'x=%20+y', '=', '=lng'),
  fc.stringMatching(/^[A-Za-z0-9=%+._~-]{0,12}$/),
);
const links = fc.record({
  base: fc.constantFrom('https://h5.example.test/liveness', 'https://h5.example.test/', 'https://h5.example.test/a/b'),
  query: fc.option(fc.array(part, { maxLength: 6 }).map((parts) => parts.join('&'))),
  hash: fc.option(fc.stringMatching(/^[A-Za-z0-9=&?#/-]{0,10}$/)),
});

describe('setLinkLocale', () => {
  it('gives what the split-and-join way gives, for any query (lng parts, empty parts, a hash)', () => {
    fc.assert(
      fc.property(links, locales, ({ base, query, hash }, locale) => {
        const link = `${base}${query === null ? '' : `?${query}`}${hash === null ? '' : `#${hash}`}`;
        expect(setLinkLocale(link, locale)).toBe(reference(link, locale));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['the usual link: appended, the rest untouched', 'https://h5.example.test/l?bytedToken=2026FAKE&sig=a%2Bb%3D', 'https://h5.example.test/l?bytedToken=2026FAKE&sig=a%2Bb%3D&lng=en'],
    ['no query', 'https://h5.example.test/l', 'https://h5.example.test/l?lng=en'],
    ['an empty query', 'https://h5.example.test/l?', 'https://h5.example.test/l?lng=en'],
    ['an lng already there: replaced', 'https://h5.example.test/l?lng=zh&t=1#top', 'https://h5.example.test/l?t=1&lng=en#top'],
    ['a bare lng: replaced', 'https://h5.example.test/l?t=1&lng', 'https://h5.example.test/l?t=1&lng=en'],
    ['a name that only starts with lng: kept', 'https://h5.example.test/l?lngx=1', 'https://h5.example.test/l?lngx=1&lng=en'],
    ['empty parts: dropped', 'https://h5.example.test/l?&t=1&&u=2&', 'https://h5.example.test/l?t=1&u=2&lng=en'],
  ])('%s', (_name, link, expected) => {
    expect(setLinkLocale(link, 'en')).toBe(expected);
  });
});
