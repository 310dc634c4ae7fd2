// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { API_KEY, BASE, PUBLIC_URL, createSession, phoneFlow, postSession, request, setup, tokenOf } from '../helpers.js';
import { ALICE, MALLORY, assetSetup, uploadRequest } from '../assets/assetHelpers.js';
import * as files from '../../media/mediaFiles.js';

interface Captured {
  label: string;
  text: string;
}

async function capture(label: string, response: Response): Promise<Captured> {
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return { label, text: `${response.status}\n${headers}\n\n${await response.clone().text()}` };
}

describe('secrets stay secret across a full flow', () => {
  it('no response or event carries the API key; only the create response (and the QR redirect) carry the link or token', async () => {
    const s = setup({ upstreamTimeoutMs: 200 });
    const seen: Captured[] = [];
    const record = async (label: string, response: Response) => {
      seen.push(await capture(label, response));
      return response;
    };

    const createResponse = await record('create', await postSession(s.handler, { locale: 'en', returnUrl: `${PUBLIC_URL}/done` }));
    const created = await createResponse.clone().json();
    const link: string = created.h5Link;
    const token = tokenOf(link);
    await record('status pending', await s.handler(request(created.statusUrl)));
    const short = await s.handler(new Request(created.qrUrl));
    const cookie = short.headers.get('Set-Cookie')!.split(';')[0]!;
    const { responses } = await phoneFlow(s, created, 'pass', 'qr', cookie);
    // phoneFlow's own first request is the QR redirect again; its last is the callback.
    await record('callback', responses.at(-1)!);
    await record('status verified', await s.handler(request(created.statusUrl)));
    await record('qr after verified', await s.handler(new Request(created.qrUrl)));
    await record('callback again', await s.handler(request(`${BASE}/callback?sid=${created.sessionId}&bytedToken=${token}&resultCode=10000`)));

    // A failed session and the error paths, too.
    const second = await createSession(s.handler);
    await record('fail callback', (await phoneFlow(s, second, 'fail')).callback);
    s.mock.failNext('serverError', 'create');
    await record('502', await postSession(s.handler));
    s.mock.failNext('rateLimited', 'create');
    await record('503', await postSession(s.handler));
    s.mock.failNext('hang', 'create');
    await record('504', await postSession(s.handler));
    await record('404', await s.handler(request(`${BASE}/sessions/${'z'.repeat(32)}`)));
    await record('405', await s.handler(request(`${BASE}/sessions`)));
    await record('415', await s.handler(request(`${BASE}/sessions`, { method: 'POST', body: 'x' })));

    expect(seen.length).toBeGreaterThan(10);
    for (const { label, text } of seen) {
      expect(text, label).not.toContain(API_KEY);
      if (label === 'create') continue;
      expect(text, label).not.toContain(link);
      expect(text, label).not.toContain(token);
      expect(text, label).not.toContain('FAKE');
    }
    // The create response carries the token only inside the link it must deliver.
    const createBody = JSON.parse(seen[0]!.text.split('\n\n')[1]!);
    delete createBody.h5Link;
    expect(JSON.stringify(createBody)).not.toContain(token);
    expect(seen[0]!.text.split('\n\n')[0]).not.toContain(token);

    // The QR short URL's whole job is to redirect to the link; it carries nothing else.
    expect(short.headers.get('Location')).toBe(link);
    expect(await short.text()).toBe('');

    const eventText = JSON.stringify(s.events);
    expect(s.events.length).toBeGreaterThan(5);
    for (const secret of [API_KEY, link, token, 'FAKE', 'Bearer']) expect(eventText).not.toContain(secret);
  });

  it('an upstream refusing the key does not get the key echoed', async () => {
    const s = setup({}, { apiKey: 'some-other-key' });
    const response = await postSession(s.handler);
    expect(response.status).toBe(502);
    const text = (await capture('401', response)).text;
    expect(text).not.toContain(API_KEY);
    expect(JSON.stringify(s.events)).not.toContain(API_KEY);
  });

  it('asset routes (issue 26): no answer or event carries the API key, the GroupId, the subject, the asset’s name or the file', async () => {
    const s = assetSetup({}, { listIntervalMs: 1 }, { assetActivationMs: 0 });
    const seen: Captured[] = [];
    const photo = files.png(600, 800);
    const created = await s.handler(uploadRequest(photo, { key: 'secrets-upload-key-0123456789' }));
    seen.push(await capture('upload', created));
    const { assetId, statusUrl, eventsUrl } = await created.clone().json();
    seen.push(await capture('repeat', await s.handler(uploadRequest(photo, { key: 'secrets-upload-key-0123456789' }))));
    seen.push(await capture('status', await s.handler(request(statusUrl, { headers: { 'X-Test-User': ALICE } }))));
    const stream = await s.handler(request(eventsUrl, { headers: { 'X-Test-User': ALICE } }));
    seen.push({ label: 'events', text: await stream.text() });
    seen.push(await capture('another subject', await s.handler(request(statusUrl, { headers: { 'X-Test-User': MALLORY } }))));
    seen.push(await capture('415', await s.handler(uploadRequest(files.svgWithScript()))));
    seen.push(await capture('422', await s.handler(uploadRequest(files.png(10_000, 10)))));
    s.mock.failNext('notFound', 'createAsset');
    seen.push(await capture('502', await s.handler(uploadRequest(photo))));
    const name = s.mock.assets.get(assetId)!.name;
    const fileText = new TextDecoder('latin1').decode(photo.subarray(16, 64));
    for (const { label, text } of seen) {
      for (const secret of [API_KEY, s.groups.get(ALICE)!, s.groups.get(MALLORY)!, ALICE, name, 'Bearer', 'data:image']) expect(text, label).not.toContain(secret);
      expect(text, label).not.toContain(fileText);
    }
    expect(seen.find((entry) => entry.label === 'events')!.text).toContain('"status":"active"');
    const eventText = JSON.stringify(s.events);
    expect(s.events.some((event) => event.type === 'asset.created')).toBe(true);
    for (const secret of [API_KEY, s.groups.get(ALICE)!, ALICE, name, 'data:image']) expect(eventText).not.toContain(secret);
  });
});
