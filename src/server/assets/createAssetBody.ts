import { base64Length, writeBase64 } from '../../core/media/base64.js';
import type { AssetKind } from '../../core/media/mediaFormat.js';

/**
 * The `model` of each kind. From Anyfast's public docs (checked 2026-12-07, documented): `volc-asset`
 * for images, `volc-asset-video` for videos (`volc-asset-audio` for audio, not offered here).
 */
const MODELS: Readonly<Record<AssetKind, string>> = { image: 'volc-asset', video: 'volc-asset-video' };
const ASSET_TYPES: Readonly<Record<AssetKind, string>> = { image: 'Image', video: 'Video' };

export interface NewAsset {
  groupId: string;
  /** Chosen by the server, unique in the group (see `assetName`). */
  name: string;
  kind: AssetKind;
  /** The MIME type read from the file's bytes (the `data:` URI says it, so the file is not taken as PNG). */
  mime: string;
  bytes: Uint8Array;
}

/**
 * The JSON body of `CreateAsset`: `{ model, GroupId, Name, AssetType, URL }` with the file as a
 * `data:<mime>;base64,…` URI, built as bytes in one allocation (a 25 MB photo is a 33 MB body; building
 * it as a string first would hold it three times over).
 *
 * Sure (documented, with an example): the JSON shape, and that `URL` may be a public URL, a `data:` URI
 * or raw base64, which Anyfast uploads to object storage itself (raw base64 is taken as PNG, hence the
 * URI with its MIME type). Also documented, but not used: a multipart form (`file`, `GroupId`, `Name`,
 * `model`), whose fields name no `AssetType`. The server sends no public URL: it would have to host the
 * person's photo somewhere the gateway can fetch it.
 */
export function createAssetBody(asset: NewAsset): Uint8Array {
  const head = new TextEncoder().encode(
    `{"model":${JSON.stringify(MODELS[asset.kind])},"GroupId":${JSON.stringify(asset.groupId)},"Name":${JSON.stringify(asset.name)},` +
      `"AssetType":${JSON.stringify(ASSET_TYPES[asset.kind])},"URL":"data:${asset.mime};base64,`,
  );
  const body = new Uint8Array(head.length + base64Length(asset.bytes.length) + 2);
  body.set(head, 0);
  const end = writeBase64(asset.bytes, body, head.length);
  body[end] = 0x22; // "
  body[end + 1] = 0x7d; // }
  return body;
}
