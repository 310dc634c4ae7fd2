import { describe, expect, it } from 'vitest';
import { detectMobile } from '../../src/react/detectMobile';

describe('detectMobile', () => {
  it.each([
    ['no navigator', undefined, false],
    ['desktop Chrome', { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36' }, false],
    ['iPhone', { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148' }, true],
    ['Android', { userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36' }, true],
    ['iPadOS', { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15', maxTouchPoints: 5 }, true],
    ['a Mac with a touch-less trackpad', { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', maxTouchPoints: 0 }, false],
    ['Client Hints mobile', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', userAgentData: { mobile: true } }, true],
    ['Client Hints desktop', { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', userAgentData: { mobile: false } }, false],
    ['a navigator without a User-Agent', {}, false],
    ['a Mac that does not say how many touch points', { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' }, false],
    ['Client Hints desktop on a phone User-Agent', { userAgent: 'Mozilla/5.0 (Linux; Android 14) Mobile', userAgentData: { mobile: false } }, true],
  ] as const)('%s → %s', (_name, nav, mobile) => {
    expect(detectMobile(nav)).toBe(mobile);
  });
});
