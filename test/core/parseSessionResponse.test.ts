import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LivenessError, LivenessErrorCode } from '../../src/core/LivenessError';
import { parseSessionResponse } from '../../src/core/wire/parseSessionResponse';
import { DEFAULT_MAX_LINK_LENGTH, validateLink } from '../../src/core/wire/validateLink';

const LINK = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret&lng=en';
const TOKEN = 'FAKE-TOKEN-not-a-secret';
const fixedId = () => 'local-id-1';

/** Runs `fn`, expects a LivenessError with `code`, and checks the message leaks nothing. */
function expectLivenessError(fn: () => unknown, code: LivenessErrorCode, secrets: string[] = []): LivenessError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LivenessError);
  const error = caught as LivenessError;
  expect(error.code).toBe(code);
  for (const secret of [LINK, TOKEN, 'FAKE-not-a-secret', ...secrets]) {
    expect(error.message).not.toContain(secret);
    expect(String(error)).not.toContain(secret);
  }
  return error;
}

/** Rule 2 of DESIGN.md, checked independently of the implementation. */
function satisfiesRule2(link: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what rule 2 refuses
  if (/[\u0000-\u001f\u007f\s]/.test(link)) return false;
  if (/\\u0026/i.test(link)) return false;
  const url = new URL(link);
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

describe('parseSessionResponse: accepted shapes', () => {
  it('accepts the library’s own protocol with every field', () => {
    const session = parseSessionResponse({
      sessionId: 'sess_123',
      h5Link: LINK,
      expiresAt: '2030-01-02T03:04:05.000Z',
      statusUrl: '/api/liveness/sessions/sess_123',
      qrUrl: 'https://app.example.test/l/abc',
      eventsUrl: '/api/liveness/sessions/sess_123/events',
      ownerKey: 'FAKEOWNERKEYAAAAAAAAAA',
      sendUrl: '/api/liveness/sessions/sess_123/send',
      sendChannels: ['sms', 'email'],
    });
    expect(session).toEqual({
      sessionId: 'sess_123',
      h5Link: LINK,
      expiresAt: '2030-01-02T03:04:05.000Z',
      statusUrl: '/api/liveness/sessions/sess_123',
      qrUrl: 'https://app.example.test/l/abc',
      eventsUrl: '/api/liveness/sessions/sess_123/events',
      ownerKey: 'FAKEOWNERKEYAAAAAAAAAA',
      sendUrl: '/api/liveness/sessions/sess_123/send',
      sendChannels: ['sms', 'email'],
    });
  });

  it('keeps the send channels as the backend sent them, for sendLinkChannels() to check where sending is offered; none sent: absent', () => {
    const base = { sessionId: 's', h5Link: LINK, sendUrl: '/send' };
    expect(parseSessionResponse({ ...base, sendChannels: ['email', 'fax', 7, null, 'sms'] }).sendChannels).toEqual(['email', 'fax', 7, null, 'sms']);
    expect(parseSessionResponse({ ...base, sendChannels: 'sms' }).sendChannels).toBe('sms');
    expect(parseSessionResponse(base)).toEqual({ sessionId: 's', h5Link: LINK, sendUrl: '/send' });
  });

  it('accepts the own protocol with only the required fields and omits the rest', () => {
    const session = parseSessionResponse({ sessionId: 's1', h5Link: LINK });
    expect(session).toEqual({ sessionId: 's1', h5Link: LINK });
    expect(Object.keys(session).sort()).toEqual(['h5Link', 'sessionId']);
  });

  it('normalises an expiry given as epoch seconds or milliseconds to ISO 8601', () => {
    const seconds = parseSessionResponse({ sessionId: 's', h5Link: LINK, expiresAt: 1_900_000_000 });
    const millis = parseSessionResponse({ sessionId: 's', h5Link: LINK, expiresAt: 1_900_000_000_000 });
    expect(seconds.expiresAt).toBe(new Date(1_900_000_000_000).toISOString());
    expect(millis.expiresAt).toBe(new Date(1_900_000_000_000).toISOString());
  });

  it('accepts Anyfast’s flat answer and never uses the byted token as the id', () => {
    const session = parseSessionResponse({ BytedToken: TOKEN, H5Link: LINK, CallbackURL: 'https://app.example.test/callback' }, { createId: fixedId });
    expect(session).toEqual({ sessionId: 'local-id-1', h5Link: LINK });
    expect(JSON.stringify(session)).not.toContain(TOKEN);
  });

  it('makes a random id for the flat answer when no createId is given', () => {
    const a = parseSessionResponse({ BytedToken: TOKEN, H5Link: LINK });
    const b = parseSessionResponse({ BytedToken: TOKEN, H5Link: LINK });
    expect(a.sessionId).not.toBe(TOKEN);
    expect(a.sessionId.length).toBeGreaterThan(0);
    expect(a.sessionId).not.toBe(b.sessionId);
  });

  it('accepts the BytePlus { ResponseMetadata, Result } envelope', () => {
    const session = parseSessionResponse(
      {
        ResponseMetadata: { RequestId: 'req-1', Action: 'CertToken', Version: '2022-08-31', Service: 'cv', Region: 'ap-singapore-1' },
        Result: { BytedToken: TOKEN, H5Link: LINK, CallbackURL: 'https://app.example.test/cb' },
      },
      { createId: fixedId },
    );
    expect(session).toEqual({ sessionId: 'local-id-1', h5Link: LINK });
  });

  it('turns ResponseMetadata.Error into invalid_response with the upstream code as serverCode', () => {
    const error = expectLivenessError(
      () =>
        parseSessionResponse({
          ResponseMetadata: { RequestId: 'r', Error: { Code: 'Throttling', Message: `slow down ${TOKEN} ${LINK}` } },
          Result: { H5Link: LINK },
        }),
      LivenessErrorCode.invalidResponse,
    );
    expect(error.serverCode).toBe('Throttling');
    expect(error.message).not.toContain('slow down');
  });

  it('drops an absurdly long upstream error code instead of carrying it', () => {
    const error = expectLivenessError(() => parseSessionResponse({ ResponseMetadata: { Error: { Code: 'X'.repeat(500) } } }), LivenessErrorCode.invalidResponse);
    expect(error.serverCode).toBeUndefined();
  });

  it('rejects an envelope without a Result', () => {
    expectLivenessError(() => parseSessionResponse({ ResponseMetadata: { RequestId: 'r' } }), LivenessErrorCode.invalidResponse);
  });

  it('accepts { success, data: { session_id, byted_token, h5_link, expires_at } }', () => {
    const session = parseSessionResponse({
      success: true,
      data: { session_id: 'gw-42', byted_token: TOKEN, h5_link: LINK, expires_at: '2030-01-01T00:00:00Z', status: 'pending' },
    });
    expect(session).toEqual({ sessionId: 'gw-42', h5Link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(JSON.stringify(session)).not.toContain(TOKEN);
  });

  it('makes an id for the data shape when session_id is absent', () => {
    const session = parseSessionResponse({ success: true, data: { h5_link: LINK } }, { createId: fixedId });
    expect(session).toEqual({ sessionId: 'local-id-1', h5Link: LINK });
  });

  it('rejects the data shape when success is false', () => {
    expectLivenessError(() => parseSessionResponse({ success: false, data: { session_id: 'x', h5_link: LINK } }), LivenessErrorCode.invalidResponse);
  });

  it('decodes literal \\u0026 escapes in the link', () => {
    const escaped = 'https://h5.example.test/authorization?pl=FAKE-not-a-secret\\u0026lng=en\\u0026x=1';
    expect(escaped).toContain('\\u0026');
    const session = parseSessionResponse({ sessionId: 's', h5Link: escaped });
    expect(session.h5Link).toBe('https://h5.example.test/authorization?pl=FAKE-not-a-secret&lng=en&x=1');
  });

  it('accepts plain http only for loopback hosts', () => {
    for (const link of ['http://127.0.0.1:5173/h5?pl=FAKE', 'http://localhost:3000/h5', 'http://[::1]:8080/h5', 'http://app.localhost/h5']) {
      expect(parseSessionResponse({ sessionId: 's', h5Link: link }).h5Link).toBe(link);
    }
  });
});

describe('parseSessionResponse: hostile input', () => {
  const invalidResponse: Array<[string, unknown]> = [
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ sessionId: 's', h5Link: LINK }]],
    ['a string', LINK],
    ['a number', 42],
    ['a boolean', true],
    ['an empty object', {}],
    ['an unknown shape', { url: LINK, token: TOKEN }],
    ['own protocol without a session id', { h5Link: LINK }],
    ['own protocol with a numeric session id', { sessionId: 12, h5Link: LINK }],
    ['own protocol with an empty session id', { sessionId: '', h5Link: LINK }],
    ['own protocol with a session id containing spaces', { sessionId: 'a b', h5Link: LINK }],
    ['own protocol with a huge session id', { sessionId: 'x'.repeat(257), h5Link: LINK }],
    ['own protocol with a garbage expiry', { sessionId: 's', h5Link: LINK, expiresAt: 'tomorrow-ish' }],
    ['own protocol with an object expiry', { sessionId: 's', h5Link: LINK, expiresAt: { at: 1 } }],
    ['own protocol with an out-of-range expiry', { sessionId: 's', h5Link: LINK, expiresAt: 1e300 }],
    ['own protocol with a javascript: statusUrl', { sessionId: 's', h5Link: LINK, statusUrl: 'javascript:alert(1)' }],
    ['own protocol with a statusUrl containing a newline', { sessionId: 's', h5Link: LINK, statusUrl: '/status\n/x' }],
    ['own protocol with a numeric statusUrl', { sessionId: 's', h5Link: LINK, statusUrl: 7 }],
    ['own protocol with a huge statusUrl', { sessionId: 's', h5Link: LINK, statusUrl: `/${'a'.repeat(5000)}` }],
    ['own protocol with a javascript: eventsUrl', { sessionId: 's', h5Link: LINK, eventsUrl: 'javascript:alert(1)' }],
    ['own protocol with an eventsUrl containing a newline', { sessionId: 's', h5Link: LINK, eventsUrl: '/events\n/x' }],
    ['own protocol with a numeric eventsUrl', { sessionId: 's', h5Link: LINK, eventsUrl: 7 }],
    ['own protocol with a numeric ownerKey', { sessionId: 's', h5Link: LINK, ownerKey: 7 }],
    ['own protocol with a script sendUrl', { sessionId: 's', h5Link: LINK, sendUrl: 'javascript:alert(1)' }],
    ['own protocol with a numeric sendUrl', { sessionId: 's', h5Link: LINK, sendUrl: 42 }],
    ['own protocol with a huge ownerKey', { sessionId: 's', h5Link: LINK, ownerKey: 'k'.repeat(5000) }],
    ['envelope with a Result that is an array', { ResponseMetadata: {}, Result: [LINK] }],
    ['data shape with an array data', { data: [LINK] }],
  ];

  it.each(invalidResponse)('rejects %s with invalid_response', (_name, input) => {
    expectLivenessError(() => parseSessionResponse(input), LivenessErrorCode.invalidResponse);
  });

  const invalidLink: Array<[string, unknown]> = [
    ['a missing link', { sessionId: 's' }],
    ['a null link', { sessionId: 's', h5Link: null }],
    ['a numeric link', { sessionId: 's', h5Link: 123 }],
    ['an object link', { sessionId: 's', h5Link: { href: LINK } }],
    ['an empty link', { sessionId: 's', h5Link: '' }],
    ['a whitespace link', { sessionId: 's', h5Link: '   \t ' }],
    ['a relative link', { sessionId: 's', h5Link: '/authorization?pl=FAKE-not-a-secret' }],
    ['a javascript: link', { sessionId: 's', h5Link: 'javascript:alert(document.cookie)//FAKE-not-a-secret' }],
    ['an upper-case JavaScript: link', { sessionId: 's', h5Link: 'JaVaScRiPt:alert(1)' }],
    ['a javascript: link hidden behind a tab', { sessionId: 's', h5Link: 'java\tscript:alert(1)' }],
    ['a data: link', { sessionId: 's', h5Link: 'data:text/html,<script>alert(1)</script>' }],
    ['a vbscript: link', { sessionId: 's', h5Link: 'vbscript:msgbox(1)' }],
    ['a file: link', { sessionId: 's', h5Link: 'file:///etc/passwd' }],
    ['a plain http link to a public host', { sessionId: 's', h5Link: 'http://h5.example.test/authorization?pl=FAKE-not-a-secret' }],
    ['an http link to a host that only starts like loopback', { sessionId: 's', h5Link: 'http://127.0.0.1.example.test/h5' }],
    ['an http link to localhost.example.test', { sessionId: 's', h5Link: 'http://localhost.example.test/h5' }],
    ['a link with a newline inside', { sessionId: 's', h5Link: 'https://h5.example.test/a\nb' }],
    ['a link with a NUL inside', { sessionId: 's', h5Link: 'https://h5.example.test/a\u0000b' }],
    ['a link with DEL inside', { sessionId: 's', h5Link: 'https://h5.example.test/a\u007fb' }],
    ['a link with a space inside', { sessionId: 's', h5Link: 'https://h5.example.test/a b' }],
    ['a link with user credentials', { sessionId: 's', h5Link: 'https://user:FAKE-password@h5.example.test/' }],
    ['a link with a user name only', { sessionId: 's', h5Link: 'https://FAKE-user@h5.example.test/' }],
    ['a huge link', { sessionId: 's', h5Link: `https://h5.example.test/?pl=${'A'.repeat(DEFAULT_MAX_LINK_LENGTH)}` }],
    ['a javascript: H5Link in the flat shape', { BytedToken: TOKEN, H5Link: 'javascript:alert(1)' }],
    ['a data: H5Link in the envelope', { ResponseMetadata: {}, Result: { H5Link: 'data:text/html,x' } }],
    ['a vbscript: h5_link in the data shape', { data: { h5_link: 'vbscript:x' } }],
    ['a flat shape with a token but no link', { BytedToken: TOKEN }],
    ['a javascript: qrUrl', { sessionId: 's', h5Link: LINK, qrUrl: 'javascript:alert(1)' }],
  ];

  it.each(invalidLink)('rejects %s with invalid_link and no secret in the message', (_name, input) => {
    expectLivenessError(() => parseSessionResponse(input, { createId: fixedId }), LivenessErrorCode.invalidLink, ['FAKE-password', 'FAKE-user', 'alert']);
  });
});

describe('validateLink', () => {
  it('returns https links unchanged', () => {
    expect(validateLink(LINK)).toBe(LINK);
  });

  it('trims surrounding whitespace', () => {
    expect(validateLink(`  ${LINK}\n`)).toBe(LINK);
  });

  it('decodes upper-case \\U0026 too', () => {
    expect(validateLink('https://h5.example.test/?a=1\\U0026b=2')).toBe('https://h5.example.test/?a=1&b=2');
  });

  it('accepts http://127.0.0.1 and rejects http to any other IP', () => {
    expect(validateLink('http://127.0.0.1/h5')).toBe('http://127.0.0.1/h5');
    expectLivenessError(() => validateLink('http://10.0.0.1/h5'), LivenessErrorCode.invalidLink);
    expectLivenessError(() => validateLink('http://192.168.1.1/h5'), LivenessErrorCode.invalidLink);
  });

  describe('allowedHosts', () => {
    const allowedHosts = ['h5.kych5.test', '*.example.com'];

    it.each([
      ['an exact host', 'https://h5.kych5.test/a'],
      ['an exact host in another case', 'https://H5.KYCH5.TEST/a'],
      ['a subdomain of a wildcard', 'https://www.example.com/a'],
      ['a deeper subdomain of a wildcard', 'https://a.b.example.com/a'],
    ])('accepts %s', (_name, link) => {
      expect(validateLink(link, { allowedHosts })).toBe(link);
    });

    it.each([
      ['a host that merely ends with the wildcard’s name', 'https://evilexample.com/a'],
      ['the wildcard’s bare domain', 'https://example.com/a'],
      ['a host that puts the allowed name first', 'https://example.com.evil.test/a'],
      ['a subdomain of an exact host', 'https://x.h5.kych5.test/a'],
      ['an unrelated host', 'https://evil.test/?pl=FAKE-not-a-secret'],
    ])('rejects %s', (_name, link) => {
      expectLivenessError(() => validateLink(link, { allowedHosts }), LivenessErrorCode.invalidLink, [link]);
    });

    it('with an empty list rejects every host', () => {
      expectLivenessError(() => validateLink(LINK, { allowedHosts: [] }), LivenessErrorCode.invalidLink);
    });

    it('is applied by parseSessionResponse', () => {
      expect(parseSessionResponse({ sessionId: 's', h5Link: LINK }, { allowedHosts: ['h5.example.test'] }).h5Link).toBe(LINK);
      expectLivenessError(() => parseSessionResponse({ sessionId: 's', h5Link: LINK }, { allowedHosts: ['h5.kych5.test'] }), LivenessErrorCode.invalidLink);
    });
  });

  describe('maxLength', () => {
    it('defaults to 4096 characters', () => {
      const base = 'https://h5.example.test/?pl=';
      const atCap = base + 'A'.repeat(DEFAULT_MAX_LINK_LENGTH - base.length);
      expect(atCap).toHaveLength(4096);
      expect(validateLink(atCap)).toBe(atCap);
      expectLivenessError(() => validateLink(`${atCap}A`), LivenessErrorCode.invalidLink, [atCap]);
    });

    it('honours a custom cap, measured after decoding \\u0026', () => {
      const link = 'https://h5.example.test/?a=1\\u0026b=2';
      const decoded = 'https://h5.example.test/?a=1&b=2';
      expect(link.length - decoded.length).toBe(5);
      expect(validateLink(link, { maxLength: decoded.length })).toBe(decoded);
      expectLivenessError(() => validateLink(link, { maxLength: decoded.length - 1 }), LivenessErrorCode.invalidLink);
    });

    it('is passed through parseSessionResponse', () => {
      expectLivenessError(() => parseSessionResponse({ sessionId: 's', h5Link: LINK }, { maxLength: 20 }), LivenessErrorCode.invalidLink);
    });
  });
});

describe('properties', () => {
  const hostile = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.webUrl({ withFragments: true, withQueryParameters: true }),
    fc.constantFrom('javascript:', 'data:', 'vbscript:', 'http://', 'https://', 'file:', '//', ' ', '\\u0026', 'http://127.0.0.1'),
    fc
      .tuple(fc.constantFrom('https://', 'http://', 'javascript:', 'JAVASCRIPT:', 'data:', 'http://localhost', 'http://127.0.0.1', 'https://user:p@', ''), fc.string({ unit: 'binary' }))
      .map(([a, b]) => a + b),
  );

  function checkLinkOutcome(fn: () => string) {
    let link: string;
    try {
      link = fn();
    } catch (error) {
      expect(error).toBeInstanceOf(LivenessError);
      return;
    }
    expect(typeof link).toBe('string');
    expect(satisfiesRule2(link)).toBe(true);
    expect(link.toLowerCase()).not.toMatch(/^\s*javascript:/);
  }

  it('validateLink returns a rule-2 link or throws a LivenessError, for any string', () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        checkLinkOutcome(() => validateLink(raw));
      }),
      { numRuns: 2000 },
    );
  });

  it('validateLink returns a rule-2 link or throws a LivenessError, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        checkLinkOutcome(() => validateLink(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('parseSessionResponse returns a rule-2 link or throws a LivenessError, for any JSON', () => {
    const linkLike = fc.oneof(hostile, fc.jsonValue());
    const idLike = fc.oneof(fc.string(), fc.jsonValue());
    const shaped = fc.oneof(
      fc.jsonValue(),
      fc.record({ sessionId: idLike, h5Link: linkLike, expiresAt: fc.jsonValue(), statusUrl: linkLike, qrUrl: linkLike }, { requiredKeys: [] }),
      fc.record({ BytedToken: fc.jsonValue(), H5Link: linkLike, CallbackURL: fc.jsonValue() }, { requiredKeys: [] }),
      fc.record({ ResponseMetadata: fc.oneof(fc.jsonValue(), fc.record({ Error: fc.jsonValue() })), Result: fc.oneof(fc.jsonValue(), fc.record({ H5Link: linkLike })) }),
      fc.record({
        success: fc.jsonValue(),
        data: fc.oneof(fc.jsonValue(), fc.record({ session_id: idLike, h5_link: linkLike, expires_at: fc.jsonValue(), status_url: linkLike }, { requiredKeys: [] })),
      }),
    );
    fc.assert(
      fc.property(shaped, (json) => {
        let session;
        try {
          session = parseSessionResponse(json);
        } catch (error) {
          expect(error).toBeInstanceOf(LivenessError);
          return;
        }
        expect(satisfiesRule2(session.h5Link)).toBe(true);
        if (session.qrUrl !== undefined) expect(satisfiesRule2(session.qrUrl)).toBe(true);
        expect(typeof session.sessionId).toBe('string');
        if (session.statusUrl !== undefined) expect(session.statusUrl.toLowerCase()).not.toMatch(/^\s*(javascript|data|vbscript):/);
      }),
      { numRuns: 2000 },
    );
  });
});
