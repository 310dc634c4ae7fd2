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

/** Base64 is written a slice at a time (a multiple of 3 bytes of the file: no padding inside). */
const SLICE_BYTES = 3 * 256 * 1024;

/**
 * The JSON body of `CreateAsset`: `{ model, GroupId, Name, AssetType, URL }` with the file as a
 * `data:<mime>;base64,…` URI, as a `Blob` of a known size (so the request has a `Content-Length`, and
 * `fetch` streams it out instead of copying it once more, as it copies an array body). The base64 is
 * made a slice at a time into the Blob: a 25 MB photo is a 33 MB body, held once.
 *
 * Sure (documented, with an example): the JSON shape, and that `URL` may be a public URL, a `data:` URI
 * or raw base64, which Anyfast uploads to object storage itself (raw base64 is taken as PNG, hence the
 * URI with its MIME type). Also documented, but not used: a multipart form (`file`, `GroupId`, `Name`,
 * `model`), whose fields name no `AssetType`. The server sends no public URL: it would have to host the
 * person's photo somewhere the gateway can fetch it.
 */
export function createAssetBody(asset: NewAsset): Blob {
  const head =
    `{"model":${JSON.stringify(MODELS[asset.kind])},"GroupId":${JSON.stringify(asset.groupId)},"Name":${JSON.stringify(asset.name)},` +
    `"AssetType":${JSON.stringify(ASSET_TYPES[asset.kind])},"URL":"data:${asset.mime};base64,`;
  // Grown a slice at a time: a Blob made of a Blob refers to its bytes instead of copying them, so the
  // base64 exists once (an array of all the slices, then a Blob of them, held it twice at the peak).
  let body = new Blob([head]);
  const { bytes } = asset;
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    const slice = bytes.subarray(at, Math.min(bytes.length, at + SLICE_BYTES));
    const out = new Uint8Array(base64Length(slice.length));
    writeBase64(slice, out, 0);
    body = new Blob([body, out]);
  }
  return new Blob([body, '"}'], { type: 'application/json' });
}
