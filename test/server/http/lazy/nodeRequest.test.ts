// @vitest-environment node
// Issue 27: the lazy Request the Node adapter hands a LivenessHandler. Its own answers (method, url,
// headers.get/has, body, signal) must be the full Request's; everything else is the full Request's.
import { describe, expect, it } from 'vitest';
import { fullRequestOf, nodeRequest, nodeRequestAddress, nodeRequestPath, nodeRequestText } from '../../../../src/server/http/lazy/nodeRequest.js';

/** Headers as Node parses them: lower-case names, repeats joined (cookie with '; '), set-cookie a list. */
const parsed = {
  host: '127.0.0.1:3000',
  'content-type': 'application/json',
  accept: 'text/html, application/json',
  cookie: 'a=1; liveness_device=abc',
  'set-cookie': ['x=1', 'y=2'],
  'x-empty': '',
  'accept-language': 'zh-CN,zh;q=0.9',
};

function make(options: { body?: string } = {}) {
  let builds = 0;
  const signal = new AbortController().signal;
  const stream = options.body === undefined ? undefined : new Blob([options.body]).stream();
  const request = nodeRequest({
    method: options.body === undefined ? 'GET' : 'POST',
    url: 'http://127.0.0.1:3000/api/liveness/sessions',
    pathname: '/api/liveness/sessions',
    headers: parsed,
    address: '127.0.0.9',
    signal: () => signal,
    hasBody: stream !== undefined,
    stream: stream && (() => stream),
    text: options.body === undefined ? undefined : (maxBytes: number) => Promise.resolve(options.body!.length > maxBytes ? null : options.body!),
    build: (body) => {
      builds += 1;
      const headers = new Headers();
      for (const [name, value] of Object.entries(parsed)) for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
      return new Request('http://127.0.0.1:3000/api/liveness/sessions', { method: body ? 'POST' : 'GET', headers, signal, body, duplex: 'half' } as RequestInit);
    },
  });
  return { request, full: () => fullRequestOf(request), signal, builds: () => builds };
}

describe('nodeRequest (the lazy Request)', () => {
  it('the body read as text (a JSON route) leaves it used, as reading the full Request’s body would', async () => {
    const lazy = make({ body: '{"locale":"en"}' });
    expect(await nodeRequestText(lazy.request, 100)).toBe('{"locale":"en"}');
    expect(nodeRequestText(lazy.request, 100)).toBeUndefined();
    expect(lazy.request.bodyUsed).toBe(true);
    await expect(lazy.request.text()).rejects.toThrow(TypeError);
    expect(lazy.builds()).toBe(1);
  });

  it('text past the cap is null; a body taken as a stream, or a request that is not lazy, is not read as text', async () => {
    expect(await nodeRequestText(make({ body: 'x'.repeat(20) }).request, 10)).toBeNull();
    const streamed = make({ body: 'abc' });
    expect(streamed.request.body).not.toBeNull();
    expect(nodeRequestText(streamed.request, 100)).toBeUndefined();
    expect(nodeRequestText(new Request('http://x/y', { method: 'POST', body: 'abc' }), 100)).toBeUndefined();
    expect(nodeRequestText(make().request, 100)).toBeUndefined();
  });

  it('headers.get and has answer as the full Request’s Headers do, for any name and case, without building it', () => {
    const lazy = make();
    const full = make().full();
    for (const name of ['Host', 'content-type', 'ACCEPT', 'Cookie', 'set-cookie', 'x-empty', 'Accept-Language', 'origin', 'x-missing']) {
      expect(lazy.request.headers.get(name), name).toBe(full.headers.get(name));
      expect(lazy.request.headers.has(name), name).toBe(full.headers.has(name));
    }
    expect(() => lazy.request.headers.get('bad name')).toThrow(TypeError);
    expect(() => full.headers.get('bad name')).toThrow(TypeError);
    expect(lazy.request.method).toBe('GET');
    expect(lazy.request.url).toBe(full.url);
    expect(lazy.request.signal).toBe(lazy.signal);
    expect(lazy.request.body).toBeNull();
    expect(nodeRequestPath(lazy.request)).toBe('/api/liveness/sessions');
    expect(nodeRequestAddress(lazy.request)).toBe('127.0.0.9');
    expect(nodeRequestPath(new Request('http://x/y'))).toBeUndefined();
    expect(lazy.builds()).toBe(0);
  });

  it('is a Request and its headers are Headers; any other member builds the full Request once and answers from it', () => {
    const lazy = make();
    expect(lazy.request).toBeInstanceOf(Request);
    expect(lazy.request.headers).toBeInstanceOf(Headers);
    expect(lazy.request.cache).toBe('default');
    expect([...lazy.request.headers.keys()]).toEqual([...make().full().headers.keys()]);
    expect(lazy.request.headers.getSetCookie()).toEqual(['x=1', 'y=2']);
    expect(lazy.request.clone().url).toBe(lazy.request.url);
    expect(lazy.builds()).toBe(1);
  });

  it('once built, the full Request’s headers are the source: a change made there is what the route reads', () => {
    const lazy = make();
    const full = lazy.full();
    full.headers.set('x-added', 'by a hook');
    expect(lazy.request.headers.get('x-added')).toBe('by a hook');
  });

  it('body: the streamed body itself, unbuilt; read through the lazy request or the full one, the bytes are the same', async () => {
    const direct = make({ body: '{"locale":"en"}' });
    expect(await new Response(direct.request.body).text()).toBe('{"locale":"en"}');
    expect(direct.builds()).toBe(0);
    const viaFull = make({ body: '{"locale":"en"}' });
    expect(await viaFull.request.text()).toBe('{"locale":"en"}');
    expect(viaFull.builds()).toBe(1);
  });

  it('the full Request built after the body was taken reads as used, as the route’s own Request would', async () => {
    const lazy = make({ body: '{"locale":"en"}' });
    const stream = lazy.request.body!;
    await new Response(stream).text();
    const full = lazy.full();
    expect(full.bodyUsed).toBe(true);
    await expect(full.text()).rejects.toThrow(TypeError);
    expect(() => full.clone()).toThrow(TypeError);
    // The route still sees its own stream, not the stand-in.
    expect(lazy.request.body).toBe(stream);
  });
});
