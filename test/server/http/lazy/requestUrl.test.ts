// @vitest-environment node
// Issue 27: the Node adapter takes a plain path as it is instead of parsing every request's URL. Its
// answer must be the text `new URL` gives, for any path and host a client can send.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { urlOf } from '../../../../src/server/http/lazy/requestUrl.js';

/** What the adapter always did: `new URL(target, scheme://host)`, or nothing when that throws. */
function reference(scheme: 'http' | 'https', host: string, target: string) {
  if (!/^[A-Za-z0-9.:[\]_-]+$/.test(host)) return undefined;
  try {
    const url = new URL(target, `${scheme}://${host}`);
    return { href: url.href, pathname: url.pathname };
  } catch {
    return undefined;
  }
}

const hosts = fc.oneof(
  fc.constantFrom(
    '127.0.0.1:3000',
    'LOCALHOST',
    'Example.COM:443',
    'example.com:80',
    'example.com:0080',
    '[::1]:8080',
    '[0:0::1]',
    '127.1',
    '0x7f.1',
    '017700000001',
    'a_b.test',
    'example.com:',
    'example.com.:8443',
    'bad host',
    'a@b',
    '999.1.1.1',
    '',
  ),
  fc.stringMatching(/^[A-Za-z0-9.:_-]{1,20}$/),
);
const segments = fc.oneof(
  fc.constantFrom('', '.', '..', '%2e', '%2E%2e', 'api', 'liveness', 'sessions', 'AbC_-~', 'a.b', '.hidden', 'x;y=1', "@:!$&'()*+,=", 'é', ' ', '?q=1', '#frag', '\\', '%41', 'a?b', '{}', '"'),
  fc.string({ maxLength: 6 }),
);
const targets = fc.oneof(
  fc.array(segments, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('//evil.example/x', 'http://other.example/p', '*', '', '/', '/api/liveness/sessions/YGW_16LxiBccADGqffCeAA'),
);

describe('urlOf (the Node adapter’s request URL)', () => {
  it('gives what new URL gives, for any path and host', () => {
    fc.assert(
      fc.property(fc.constantFrom('http' as const, 'https' as const), hosts, targets, (scheme, host, target) => {
        expect(urlOf(scheme, host, target)).toEqual(reference(scheme, host, target));
      }),
      { numRuns: 3000 },
    );
  });

  it('the same host in other spellings keeps its own origin (the cache is per spelling)', () => {
    expect(urlOf('http', 'EXAMPLE.com:80', '/a')).toEqual({ href: 'http://example.com/a', pathname: '/a' });
    expect(urlOf('http', 'example.com:8080', '/a')).toEqual({ href: 'http://example.com:8080/a', pathname: '/a' });
    expect(urlOf('https', 'example.com:443', '/a')).toEqual({ href: 'https://example.com/a', pathname: '/a' });
  });

  it('a flood of distinct Host values (the cache starts over when full): every answer stays right', () => {
    for (let i = 0; i < 1000; i += 1) expect(urlOf('http', `h${i}.example`, '/p')?.href).toBe(`http://h${i}.example/p`);
    expect(urlOf('http', 'h0.example', '/p')?.href).toBe('http://h0.example/p');
  });
});
