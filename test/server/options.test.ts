// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createLivenessHandler, type LivenessHandlerOptions } from '../../src/server.js';

const KEY = 'sk-very-secret-key-1234567890';

function messageOf(options: Partial<LivenessHandlerOptions>): string {
  try {
    createLivenessHandler(options as LivenessHandlerOptions);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected createLivenessHandler to throw');
}

describe('createLivenessHandler options', () => {
  it.each([
    ['missing', {}],
    ['empty', { apiKey: '' }],
    ['blank', { apiKey: '   ' }],
    ['not a string', { apiKey: 42 as unknown as string }],
  ])('throws a clear error when apiKey is %s', (_name, options) => {
    expect(messageOf(options)).toMatch(/apiKey.*required/);
  });

  it.each([
    ['sessionTtlMs', { sessionTtlMs: -1 }],
    ['upstreamTimeoutMs', { upstreamTimeoutMs: 0 }],
    ['publicUrl', { publicUrl: 'not a url' }],
    ['publicUrl', { publicUrl: 'ftp://x.test' }],
    ['publicUrl', { publicUrl: `https://x.test/?k=${KEY}` }],
    ['upstreamUrl', { upstreamUrl: `javascript:${KEY}` }],
    ['basePath', { basePath: 'no-slash' }],
  ])('names the bad option (%s) and never includes the key', (name, options) => {
    const message = messageOf({ apiKey: KEY, ...options });
    expect(message).toContain(name);
    expect(message).not.toContain(KEY);
  });

  it.each([
    ['assets', { assets: 'yes' as never }],
    ['assets.groupIdFor', { assets: {} as never }],
    ['assets.onAssetActive', { assets: { groupIdFor: (): string | undefined => undefined, onAssetActive: 1 as never } }],
    ['assets.types', { assets: { groupIdFor: (): string | undefined => undefined, types: ['audio'] as never } }],
    ['assets.maxImageBytes', { assets: { groupIdFor: (): string | undefined => undefined, maxImageBytes: -1 } }],
    ['assets.listIntervalMs', { assets: { groupIdFor: (): string | undefined => undefined, listIntervalMs: 0 } }],
    ['assets.createRateLimit', { assets: { groupIdFor: (): string | undefined => undefined, createRateLimit: { requests: 0, perMs: 1 } } }],
  ])('names the bad asset option (%s) and never includes the key', (name, options) => {
    const message = messageOf({ apiKey: KEY, ...options });
    expect(message).toContain(name);
    expect(message).not.toContain(KEY);
  });

  it('builds with only an apiKey and exposes the default basePath', () => {
    const handler = createLivenessHandler({ apiKey: KEY });
    expect(handler.basePath).toBe('/api/liveness');
    expect(typeof handler).toBe('function');
    expect(JSON.stringify(handler)).toBeUndefined();
    expect(Object.values(handler).join(' ')).not.toContain(KEY);
  });

  it('calls the default upstream URL with a trailing slash trimmed from custom ones', async () => {
    const urls: string[] = [];
    const handler = createLivenessHandler({
      apiKey: KEY,
      upstreamUrl: 'https://gateway.example.test/',
      publicUrl: 'https://app.example.test',
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('{}', { status: 500 });
      },
    });
    await handler(new Request('https://app.example.test/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(urls).toEqual(['https://gateway.example.test/volc/asset/CreateVisualValidateSession']);
  });
});
