// @vitest-environment node
// Issue 27: secrets and ids come from a pool of random bytes (one Web Crypto call per 4 KiB). A byte
// must never be handed out twice, across refills too, and each answer is a copy of its own.
import { describe, expect, it, vi } from 'vitest';
import { randomBytes, randomHex } from '../../src/server/randomBytes.js';

describe('randomBytes', () => {
  it('hands out fresh bytes every call, across many refills of the pool: no 16-byte secret repeats', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i += 1) seen.add(Buffer.from(randomBytes(16)).toString('hex'));
    expect(seen.size).toBe(5000);
  });

  it('fills the pool with one Web Crypto call per 4 KiB', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      for (let i = 0; i < 256 * 3; i += 1) randomBytes(16);
      // 768 secrets of 16 bytes are 12 KiB: three refills, or four when the pool was part used before.
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
  });

  it('each answer is a copy: changing one changes no other', () => {
    const a = randomBytes(32);
    const copy = Uint8Array.from(a);
    randomBytes(32).fill(0);
    expect(a).toEqual(copy);
    a.fill(1);
    expect(randomBytes(32).every((byte) => byte === 1)).toBe(false);
  });

  it('bytes look random: across 64 KiB every byte value shows up', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 16; i += 1) for (const byte of randomBytes(4096)) counts[byte]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(0);
  });

  it('refuses more than the pool holds, and gives hex of the asked length', () => {
    expect(() => randomBytes(4097)).toThrow(RangeError);
    expect(randomHex(12)).toMatch(/^[0-9a-f]{24}$/);
  });
});
