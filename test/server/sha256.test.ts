// @vitest-environment node
// Issue 27: ids and keys are hashed in place with Node's crypto where there is one, by Web Crypto
// elsewhere. Both must give the same bytes, or a session id would depend on the runtime that made it.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { sha256, sha256Hex } from '../../src/server/sha256.js';
import { postSession, setup } from './helpers.js';

const nodeCrypto = process.getBuiltinModule('node:crypto');

describe('sha256', () => {
  it('the FIPS 180-2 vector: "abc"', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex('abc', undefined)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('Node’s crypto and Web Crypto give the same bytes, for text (UTF-8) and bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 })), async (data) => {
        expect(await sha256(data, nodeCrypto)).toEqual(await sha256(data, undefined));
      }),
      { numRuns: 300 },
    );
  });

  it('hashes in place with Node’s crypto when it has one (no Web Crypto round trip)', async () => {
    const calls: number[] = [];
    const counting = { createHash: (algorithm: 'sha256') => (calls.push(1), nodeCrypto.createHash(algorithm)) };
    expect(await sha256Hex('react-liveness-session:owner-key:x', counting)).toBe(nodeCrypto.createHash('sha256').update('react-liveness-session:owner-key:x').digest('hex'));
    expect(calls).toHaveLength(1);
  });

  it('a large input (an uploaded file) is hashed off the main thread, by Web Crypto', async () => {
    const big = new Uint8Array(256 * 1024).fill(7);
    const refusing = {
      createHash: (): never => {
        throw new Error('hashed in place');
      },
    };
    expect(await sha256Hex(big, refusing)).toBe(nodeCrypto.createHash('sha256').update(big).digest('hex'));
  });

  it('a create on Node makes no Web Crypto digest (each was a round trip through the thread pool)', async () => {
    const { handler } = setup({ clientRateLimit: { requests: 100, perMs: 60_000 }, clientKey: () => 'client-1' });
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    try {
      const created = await postSession(handler, {}, { 'Idempotency-Key': 'attempt-0123456789abcdef' });
      expect(created.status).toBe(201);
      expect(digest).not.toHaveBeenCalled();
    } finally {
      digest.mockRestore();
    }
  });
});

describe('base64url', () => {
  it('is RFC 4648 base64url without padding, for every length (ids, owner keys, short links)', async () => {
    const { base64url } = await import('../../src/server/sessionId.js');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 500 },
    );
  });

  it('one-shot hashing, where Node has it, gives the bytes createHash gives', async () => {
    const oneShot = {
      createHash: (): never => {
        throw new Error('not one-shot');
      },
      hash: nodeCrypto.hash,
    };
    expect(await sha256Hex('react-liveness-session:owner-key:x', oneShot)).toBe(nodeCrypto.createHash('sha256').update('react-liveness-session:owner-key:x').digest('hex'));
    expect(await sha256(new Uint8Array([1, 2, 3]), oneShot)).toEqual(
      new Uint8Array(
        nodeCrypto
          .createHash('sha256')
          .update(new Uint8Array([1, 2, 3]))
          .digest(),
      ),
    );
  });
});
