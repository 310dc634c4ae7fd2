import { judgeMedia, LIVENESS_FACE_LIMITS } from '../core/media/assetLimits.js';
import { decodeBase64 } from '../core/media/base64.js';
import { inspectMedia } from '../core/media/inspectMedia.js';
import { compactTimestamp, randomText } from './fakeH5Link.js';
import { MOCK_FACE_MISMATCH_MARKER, MOCK_INVALID_MEDIA_MARKER } from './samplePhoto.js';

/** What the mock decides for an asset once it is processed. */
export type MockAssetOutcome = 'active' | 'faceMismatch' | 'invalidMedia';

/** One asset the mock holds (see `MockUpstream.assets`). */
export interface MockAsset {
  id: string;
  groupId: string;
  name: string;
  assetType: 'Image' | 'Video';
  /** The MIME type of the `data:` URI, or `image/png` for raw base64 (as Anyfast takes it), or the URL's. */
  mime: string;
  /** Bytes of the file (`0` when `URL` was a public URL the mock cannot fetch). */
  size: number;
  createdAt: number;
  /** When processing ends: the status turns `Active` or `Failed` then. */
  decidesAt: number;
  outcome: MockAssetOutcome;
}

/** What `assetOutcome` gets to decide on. */
export interface MockAssetInput {
  groupId: string;
  name: string;
  assetType: 'Image' | 'Video';
  /** The decoded file; `undefined` for a public URL. */
  bytes: Uint8Array | undefined;
  url: string;
}

export interface MockAssetOptions {
  clock: () => number;
  activationMs: number;
  outcome: ((asset: MockAssetInput) => MockAssetOutcome | undefined) | undefined;
  /** Whether a GroupId names a LivenessFace group (one a passed session reported, or `createGroup` made). */
  hasGroup: (groupId: string) => boolean;
}

type Json = Record<string, unknown>;
type Answer = { status: number; body: Json } | { status: number; relayed: { action: string; code: string; message: string } };

const TEXT = new TextEncoder();

function contains(bytes: Uint8Array, text: string): boolean {
  const needle = TEXT.encode(text);
  for (let at = bytes.indexOf(needle[0]!); at !== -1 && at + needle.length <= bytes.length; at = bytes.indexOf(needle[0]!, at + 1)) {
    let i = 1;
    while (i < needle.length && bytes[at + i] === needle[i]) i += 1;
    if (i === needle.length) return true;
  }
  return false;
}

/** The file behind `URL`: a `data:` URI, raw base64 (taken as PNG, as Anyfast documents), or a public URL. */
function fileOf(url: string): { mime: string; bytes: Uint8Array | undefined } | undefined {
  const data = /^data:([\w.+-]+\/[\w.+-]+);base64,/.exec(url);
  if (data) {
    const bytes = decodeBase64(url.slice(data[0].length));
    return bytes ? { mime: data[1]!, bytes } : undefined;
  }
  if (/^https?:\/\//i.test(url)) return { mime: 'application/octet-stream', bytes: undefined };
  const raw = decodeBase64(url);
  return raw ? { mime: 'image/png', bytes: raw } : undefined;
}

/** Markers first, then the upstream's limits: a file it could not use fails as invalid media, asynchronously. */
function defaultOutcome(input: MockAssetInput): MockAssetOutcome {
  const probe = input.bytes ?? TEXT.encode(input.url);
  if (contains(probe, MOCK_FACE_MISMATCH_MARKER)) return 'faceMismatch';
  if (contains(probe, MOCK_INVALID_MEDIA_MARKER)) return 'invalidMedia';
  if (!input.bytes) return 'active';
  const inspected = inspectMedia(input.bytes);
  if (!inspected.ok || inspected.info.kind !== input.assetType.toLowerCase()) return 'invalidMedia';
  return judgeMedia(inspected.info, input.bytes.length, LIVENESS_FACE_LIMITS) ? 'invalidMedia' : 'active';
}

const ERRORS: Record<Exclude<MockAssetOutcome, 'active'>, { Code: string; Message: string }> = {
  faceMismatch: { Code: 'FaceMismatch', Message: 'The face in the asset does not match the verified person (simulated).' },
  invalidMedia: { Code: 'InvalidParameter.Media', Message: 'The asset file is invalid or outside the limits (simulated).' },
};

/**
 * `CreateAsset`, `ListAssets` and `GetAsset` as public clients report them for LivenessFace groups:
 * creation is asynchronous (`Processing` for `activationMs`, then `Active` or `Failed` with `Error.Code`
 * `FaceMismatch`); a duplicate `Name` in a group answers 404 exactly as a group that does not exist;
 * `GetAsset` answers `NotFound.asset_id` for assets of these groups, so `ListAssets` filtered by the
 * group is the only way to read them.
 */
export function mockAssets(options: MockAssetOptions) {
  const assets = new Map<string, MockAsset>();
  const groupMissing = (action: string): Answer => ({
    status: 404,
    relayed: { action, code: 'NotFound.GroupId', message: 'The specified asset group is not found (simulated).' },
  });

  function statusOf(asset: MockAsset, now: number): Json {
    if (now < asset.decidesAt) return { Status: 'Processing' };
    if (asset.outcome === 'active') return { Status: 'Active' };
    return { Status: 'Failed', Error: ERRORS[asset.outcome] };
  }

  function item(asset: MockAsset, now: number): Json {
    return {
      Id: asset.id,
      Name: asset.name,
      URL: `https://assets.example.test/FAKE/${asset.id}`,
      AssetType: asset.assetType,
      GroupId: asset.groupId,
      ProjectName: 'default',
      CreateTime: new Date(asset.createdAt).toISOString(),
      UpdateTime: new Date(Math.min(now, asset.decidesAt)).toISOString(),
      ...statusOf(asset, now),
    };
  }

  return {
    assets,

    create(body: Json): Answer {
      const { GroupId: groupId, Name: name, URL: url, AssetType: assetType, model } = body;
      if (typeof groupId !== 'string' || typeof name !== 'string' || name === '' || typeof url !== 'string' || url === '') {
        return { status: 400, relayed: { action: 'CreateAsset', code: 'MissingParameter', message: 'GroupId, Name and URL are required (simulated).' } };
      }
      const type = assetType ?? (model === 'volc-asset-video' ? 'Video' : 'Image');
      if (type !== 'Image' && type !== 'Video') {
        return { status: 400, relayed: { action: 'CreateAsset', code: 'InvalidParameter.AssetType', message: 'AssetType must be Image or Video here (simulated).' } };
      }
      // The quirk: a name already used in the group reads exactly like a group that does not exist.
      if (!options.hasGroup(groupId) || [...assets.values()].some((asset) => asset.groupId === groupId && asset.name === name)) {
        return groupMissing('CreateAsset');
      }
      const file = fileOf(url);
      if (!file) return { status: 400, relayed: { action: 'CreateAsset', code: 'InvalidParameter.URL', message: 'URL is not a URL, a data: URI or base64 (simulated).' } };
      const now = options.clock();
      const input: MockAssetInput = { groupId, name, assetType: type, bytes: file.bytes, url };
      const asset: MockAsset = {
        id: `asset-${compactTimestamp(now)}-${randomText(5, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
        groupId,
        name,
        assetType: type,
        mime: file.mime,
        size: file.bytes?.length ?? 0,
        createdAt: now,
        decidesAt: now + options.activationMs,
        outcome: options.outcome?.(input) ?? defaultOutcome(input),
      };
      assets.set(asset.id, asset);
      return { status: 200, body: { Id: asset.id } };
    },

    list(body: Json): Answer {
      const filter = typeof body.Filter === 'object' && body.Filter !== null ? (body.Filter as Json) : {};
      const groups = Array.isArray(filter.GroupIds) ? filter.GroupIds.filter((id): id is string => typeof id === 'string') : undefined;
      const page = Number.isInteger(body.PageNumber) && (body.PageNumber as number) >= 1 ? (body.PageNumber as number) : 1;
      const size = Number.isInteger(body.PageSize) && (body.PageSize as number) >= 1 && (body.PageSize as number) <= 100 ? (body.PageSize as number) : 10;
      const now = options.clock();
      const matching = [...assets.values()]
        .filter((asset) => (!groups || groups.includes(asset.groupId)) && (typeof filter.Name !== 'string' || asset.name === filter.Name))
        .sort((a, b) => b.createdAt - a.createdAt);
      return {
        status: 200,
        body: { PageNumber: page, PageSize: size, TotalCount: matching.length, Items: matching.slice((page - 1) * size, page * size).map((asset) => item(asset, now)) },
      };
    },

    get(): Answer {
      // Every asset the mock holds belongs to a LivenessFace group, whose assets GetAsset does not resolve.
      return { status: 404, relayed: { action: 'GetAsset', code: 'NotFound.asset_id', message: 'The specified asset is not found (simulated).' } };
    },
  };
}
