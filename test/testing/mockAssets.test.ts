// @vitest-environment node
// Issue 26: the mock's asset calls, with the quirks public clients report for LivenessFace groups.
import { describe, expect, it } from 'vitest';
import { createMockUpstream, samplePhoto, type MockUpstreamOptions } from '../../src/testing.js';
import { writeBase64, base64Length } from '../../src/core/media/base64.js';
import * as files from '../media/mediaFiles.js';

const ORIGIN = 'https://mock.example.test';
const KEY = 'test-key-not-secret';

function api(mock: ReturnType<typeof createMockUpstream>, action: string, body: unknown) {
  return mock(new Request(`${ORIGIN}/volc/asset/${action}`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) }));
}

function dataUri(bytes: Uint8Array, mime = 'image/png'): string {
  const out = new Uint8Array(base64Length(bytes.length));
  writeBase64(bytes, out, 0);
  return `data:${mime};base64,${new TextDecoder().decode(out)}`;
}

function setup(options: MockUpstreamOptions = {}) {
  let now = Date.UTC(2026, 6, 2, 12);
  const mock = createMockUpstream({ clock: () => now, assetActivationMs: 2000, ...options });
  return { mock, groupId: mock.createGroup(), advance: (ms: number) => (now += ms) };
}

const create = (mock: ReturnType<typeof createMockUpstream>, groupId: string, name: string, url: string, extra: Record<string, unknown> = {}) =>
  api(mock, 'CreateAsset', { model: 'volc-asset', GroupId: groupId, Name: name, AssetType: 'Image', URL: url, ...extra });

const list = async (mock: ReturnType<typeof createMockUpstream>, filter: Record<string, unknown>, page = 1, size = 10) =>
  (await api(mock, 'ListAssets', { model: 'volc-asset', PageNumber: page, PageSize: size, Filter: filter })).json();

describe('the mock upstream: CreateAsset, ListAssets, GetAsset', () => {
  it('CreateAsset answers { Id }; ListAssets shows it Processing, then Active after assetActivationMs', async () => {
    const { mock, groupId, advance } = setup();
    const created = await create(mock, groupId, 'n1', dataUri(samplePhoto()));
    expect(created.status).toBe(200);
    const { Id } = await created.json();
    expect(Id).toMatch(/^asset-\d{14}-[a-z0-9]{5}$/);
    const before = await list(mock, { GroupIds: [groupId] });
    expect(before).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 1, Items: [{ Id, Name: 'n1', GroupId: groupId, AssetType: 'Image', Status: 'Processing' }] });
    advance(2000);
    expect((await list(mock, { GroupIds: [groupId] })).Items[0]).toMatchObject({ Id, Status: 'Active' });
    expect(mock.assets.get(Id)).toMatchObject({ mime: 'image/png', outcome: 'active' });
  });

  it('a photo carrying MOCK_FACE_MISMATCH_MARKER fails with Error.Code FaceMismatch; one outside the limits with InvalidParameter.Media', async () => {
    const { mock, groupId, advance } = setup();
    const mismatch = (await (await create(mock, groupId, 'a', dataUri(samplePhoto({ outcome: 'faceMismatch' })))).json()).Id;
    const tooSmall = (await (await create(mock, groupId, 'b', dataUri(files.png(100, 100)))).json()).Id;
    const commented = (await (await create(mock, groupId, 'c', dataUri(files.jpeg(800, 800, { comment: 'MOCK-FACE-MISMATCH' }), 'image/jpeg'))).json()).Id;
    advance(2000);
    const items = (await list(mock, { GroupIds: [groupId] })).Items as { Id: string; Status: string; Error?: { Code: string } }[];
    const byId = new Map(items.map((item) => [item.Id, item]));
    expect(byId.get(mismatch)).toMatchObject({ Status: 'Failed', Error: { Code: 'FaceMismatch' } });
    expect(byId.get(tooSmall)).toMatchObject({ Status: 'Failed', Error: { Code: 'InvalidParameter.Media' } });
    expect(byId.get(commented)).toMatchObject({ Status: 'Failed', Error: { Code: 'FaceMismatch' } });
  });

  it('a duplicate Name in a group answers 404 exactly like a group that does not exist', async () => {
    const { mock, groupId } = setup();
    await create(mock, groupId, 'same', dataUri(samplePhoto()));
    const duplicate = await create(mock, groupId, 'same', dataUri(samplePhoto()));
    const missing = await create(mock, 'group-20260101000000-nogrp', 'same', dataUri(samplePhoto()));
    expect(duplicate.status).toBe(404);
    const [a, b] = [await duplicate.json(), await missing.json()];
    expect(a).toEqual({ ...b, message: expect.any(String) });
    expect(JSON.parse(a.message).ResponseMetadata.Error.Code).toBe('NotFound.GroupId');
    // Another group may use the name.
    expect((await create(mock, mock.createGroup(), 'same', dataUri(samplePhoto()))).status).toBe(200);
  });

  it('GetAsset answers NotFound.asset_id for assets of LivenessFace groups', async () => {
    const { mock, groupId } = setup();
    const { Id } = await (await create(mock, groupId, 'n', dataUri(samplePhoto()))).json();
    const answer = await api(mock, 'GetAsset', { Id });
    expect(answer.status).toBe(404);
    expect(JSON.parse((await answer.json()).message).ResponseMetadata.Error.Code).toBe('NotFound.asset_id');
    expect(mock.stats.getAsset).toBe(1);
  });

  it('ListAssets filters by Name, pages newest first, and caps PageSize at 100', async () => {
    const { mock, groupId, advance } = setup();
    for (let i = 0; i < 5; i += 1) {
      await create(mock, groupId, `n${i}`, dataUri(samplePhoto()));
      advance(10);
    }
    expect((await list(mock, { GroupIds: [groupId], Name: 'n3' })).Items.map((item: { Name: string }) => item.Name)).toEqual(['n3']);
    const second = await list(mock, { GroupIds: [groupId] }, 2, 2);
    expect(second).toMatchObject({ TotalCount: 5, PageNumber: 2 });
    expect(second.Items.map((item: { Name: string }) => item.Name)).toEqual(['n2', 'n1']);
    expect((await list(mock, { GroupIds: [groupId] }, 1, 500)).PageSize).toBe(10);
  });

  it('raw base64 is taken as PNG; a public URL is accepted without its bytes; neither URL nor group → 400/404', async () => {
    const { mock, groupId } = setup();
    const raw = dataUri(samplePhoto()).split(',')[1]!;
    const { Id } = await (await create(mock, groupId, 'raw', raw)).json();
    expect(mock.assets.get(Id)).toMatchObject({ mime: 'image/png' });
    expect((await create(mock, groupId, 'url', 'https://cdn.example.test/me.jpg')).status).toBe(200);
    expect((await create(mock, groupId, 'none', '')).status).toBe(400);
    expect((await create(mock, groupId, 'bad', '%%%not base64%%%')).status).toBe(400);
  });

  it('rate limits per action, and faults on asset calls through failNext', async () => {
    const { mock, groupId } = setup({ rateLimit: { createAsset: { requests: 1, perMs: 60_000 }, listAssets: { requests: 2, perMs: 1000 } } });
    expect((await create(mock, groupId, 'a', dataUri(samplePhoto()))).status).toBe(200);
    expect((await create(mock, groupId, 'b', dataUri(samplePhoto()))).status).toBe(429);
    expect((await api(mock, 'ListAssets', { Filter: { GroupIds: [groupId] } })).status).toBe(200);
    expect((await api(mock, 'ListAssets', { Filter: { GroupIds: [groupId] } })).status).toBe(200);
    expect((await api(mock, 'ListAssets', { Filter: { GroupIds: [groupId] } })).status).toBe(429);
    // Sessions are not limited by asset calls.
    expect((await api(mock, 'CreateVisualValidateSession', { CallbackURL: 'https://app.example.test/cb' })).status).toBe(200);
    const other = setup();
    other.mock.failNext('unavailable', 'listAssets');
    expect((await api(other.mock, 'ListAssets', { Filter: { GroupIds: [other.groupId] } })).status).toBe(503);
    expect(other.mock.stats).toMatchObject({ listAssets: 1, createAsset: 0 });
  });

  it('assetOutcome decides instead of the markers', async () => {
    const { mock, groupId, advance } = setup({ assetOutcome: ({ name }) => (name === 'bad' ? 'faceMismatch' : undefined) });
    const { Id } = await (await create(mock, groupId, 'bad', dataUri(samplePhoto()))).json();
    advance(2000);
    expect((await list(mock, { GroupIds: [groupId] })).Items[0]).toMatchObject({ Id, Status: 'Failed', Error: { Code: 'FaceMismatch' } });
  });

  it('groups of passed sessions take assets too; reset forgets groups and assets', async () => {
    const { mock } = setup();
    const session = await (await api(mock, 'CreateVisualValidateSession', { CallbackURL: 'https://app.example.test/cb' })).json();
    mock.decide(session.BytedToken, 'pass');
    const groupId = mock.sessions.get(session.BytedToken)!.groupId!;
    expect((await create(mock, groupId, 'n', dataUri(samplePhoto()))).status).toBe(200);
    mock.reset();
    expect(mock.assets.size).toBe(0);
    expect((await create(mock, groupId, 'n2', dataUri(samplePhoto()))).status).toBe(404);
  });
});
