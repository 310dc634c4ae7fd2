import type { LivenessAssetOptions, LivenessHandlerOptions } from '../../../src/server.js';
import type { MockUpstreamOptions } from '../../../src/testing.js';
import type { AssetStatusResponse, CreateAssetResponse } from '../../../src/core/wire/assetProtocol.js';
import { BASE, PUBLIC_URL, request, setup, type Setup } from '../helpers.js';

export const ALICE = 'user-alice-7f3a';
export const MALLORY = 'user-mallory-41c9';
export const BOUNDARY = '----LivenessTestBoundary7MA4YWxkTrZu0gW';

export interface AssetSetup extends Setup {
  /** The group each subject verified into (what the app's `onVerified` stored). */
  groups: Map<string, string>;
  active: { subject: string; groupId: string; assetId: string; type: string }[];
}

/**
 * A handler with the asset routes, whose `authorize` names the subject in `X-Test-User` (a test's
 * stand-in for the app's session cookie), and a mock group already verified for Alice and for Mallory.
 */
export function assetSetup(options: Partial<LivenessHandlerOptions> = {}, assets: Partial<LivenessAssetOptions> = {}, mockOptions: MockUpstreamOptions = {}): AssetSetup {
  const groups = new Map<string, string>();
  const active: AssetSetup['active'] = [];
  const s = setup(
    {
      authorize: (incoming) => {
        const user = incoming.headers.get('X-Test-User');
        return user ? { subject: user } : true;
      },
      assets: {
        groupIdFor: (subject) => groups.get(subject),
        onAssetActive: (asset) => {
          active.push({ subject: asset.subject, groupId: asset.groupId, assetId: asset.assetId, type: asset.type });
        },
        ...assets,
      },
      ...options,
    },
    { assetActivationMs: 1000, ...mockOptions },
  );
  groups.set(ALICE, s.mock.createGroup());
  groups.set(MALLORY, s.mock.createGroup());
  return { ...s, groups, active };
}

export interface Part {
  name: string;
  filename?: string;
  type?: string;
  body: Uint8Array | string;
  headers?: string;
}

/** A multipart/form-data body, byte by byte as a browser writes one. */
export function multipart(parts: Part[], boundary = BOUNDARY): Uint8Array {
  const chunks: Uint8Array[] = [];
  const text = (value: string) => chunks.push(new TextEncoder().encode(value));
  for (const part of parts) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}\r\n`);
    if (part.type) text(`Content-Type: ${part.type}\r\n`);
    if (part.headers) text(part.headers);
    text('\r\n');
    chunks.push(typeof part.body === 'string' ? new TextEncoder().encode(part.body) : part.body);
    text('\r\n');
  }
  text(`--${boundary}--\r\n`);
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export interface UploadOptions {
  user?: string | null;
  key?: string;
  filename?: string;
  type?: string;
  headers?: Record<string, string>;
}

/** `POST {BASE}/assets` with one file part, as the browser sends it. */
export function uploadRequest(file: Uint8Array, options: UploadOptions = {}): Request {
  const user = options.user === undefined ? ALICE : options.user;
  return request(`${BASE}/assets`, {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
      Origin: PUBLIC_URL,
      ...(user ? { 'X-Test-User': user } : {}),
      ...(options.key ? { 'Idempotency-Key': options.key } : {}),
      ...options.headers,
    },
    body: multipart([{ name: 'file', filename: options.filename ?? 'photo.png', type: options.type ?? 'image/png', body: file }]) as BodyInit,
  });
}

export async function upload(s: Pick<Setup, 'handler'>, file: Uint8Array, options: UploadOptions = {}): Promise<CreateAssetResponse> {
  const response = await s.handler(uploadRequest(file, options));
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as CreateAssetResponse;
}

export function assetStatus(s: Pick<Setup, 'handler'>, assetId: string, user: string | null = ALICE): Promise<Response> {
  return s.handler(request(`${BASE}/assets/${assetId}`, { headers: user ? { 'X-Test-User': user } : {} }));
}

export async function readStatus(s: Pick<Setup, 'handler'>, assetId: string, user: string = ALICE): Promise<AssetStatusResponse> {
  const response = await assetStatus(s, assetId, user);
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as AssetStatusResponse;
}
