import type { MediaInfo } from '../../core/media/inspectMedia.js';
import type { CreateAssetResponse } from '../../core/wire/assetProtocol.js';
import { IDEMPOTENCY_KEY_HEADER } from '../../core/wire/protocol.js';
import { assetTtl } from '../assets/advanceAsset.js';
import type { AssetContext } from '../assets/assetContext.js';
import { assetName } from '../assets/assetName.js';
import { assetKey, type AssetRecord } from '../assets/assetRecord.js';
import { createAssetBody } from '../assets/createAssetBody.js';
import { readUpload } from '../assets/readUpload.js';
import type { HandlerContext } from '../handlerContext.js';
import { authorizeRequest } from '../http/authorizeRequest.js';
import { checkOrigin } from '../http/checkOrigin.js';
import { errorResponse, jsonResponse, retryAfterHeader } from '../http/jsonResponse.js';
import { IDEMPOTENCY_KEY_PATTERN, MAX_UPSTREAM_RETRY_AFTER_MS } from '../limits.js';
import { sha256Hex } from '../sha256.js';
import { ServerErrorCode } from '../ServerErrorCode.js';
import type { AssetSlot } from '../assets/assetBudget.js';
import type { UpstreamFailure } from '../upstream/upstreamClient.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Upload {
  subject: string;
  groupId: string;
  info: MediaInfo;
  bytes: Uint8Array;
}

/** An `Idempotency-Key`'s record: which file it named, the `Name` chosen for it, and once made, the asset. */
interface KeyRecord {
  fingerprint: string;
  name: string;
  /** Until then a create is in flight; after it, a creator that never finished has died (or failed). */
  until: number;
  assetId?: string;
}

function readKeyRecord(raw: string | undefined): KeyRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as KeyRecord;
    return typeof value.fingerprint === 'string' && typeof value.name === 'string' && typeof value.until === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function failureResponse(failure: UpstreamFailure): Response {
  switch (failure.kind) {
    case 'timeout':
      return errorResponse(504, ServerErrorCode.upstreamTimeout, 'The asset service did not answer in time. Try again.');
    case 'unavailable':
      return errorResponse(503, ServerErrorCode.upstreamUnavailable, 'The asset service is busy. Try again shortly.', retryAfterHeader(Math.min(failure.retryAfterMs, MAX_UPSTREAM_RETRY_AFTER_MS)));
    case 'unauthorized':
      return errorResponse(502, ServerErrorCode.upstreamUnauthorized, 'The asset service refused the API key.');
    case 'unreachable':
      return errorResponse(502, ServerErrorCode.upstreamUnreachable, 'The asset service could not be reached.');
    case 'not_found':
      // A duplicate name reads the same upstream; names are unique, so this is the group itself.
      return errorResponse(502, ServerErrorCode.upstreamGroupNotFound, 'The asset service does not know this person’s verification. Verify again.');
    case 'http':
      // Our checks passed, but the upstream refused the request: about the file, as far as can be told.
      if (failure.status >= 400 && failure.status < 500) {
        return jsonResponse(422, { error: { code: ServerErrorCode.invalidMedia, message: 'The asset service refused this file.' } });
      }
      return errorResponse(502, ServerErrorCode.upstreamError, 'The asset service answered with an error.');
    default:
      return errorResponse(502, ServerErrorCode.upstreamError, 'The asset service answered with an error.');
  }
}

function acceptedResponse(context: HandlerContext, record: AssetRecord): Response {
  const statusUrl = `${context.options.basePath}/assets/${record.assetId}`;
  const body: CreateAssetResponse = {
    assetId: record.assetId,
    statusUrl,
    ...(context.options.maxEventStreams > 0 ? { eventsUrl: `${statusUrl}/events` } : {}),
    status: record.status,
  };
  return jsonResponse(202, body, { Location: statusUrl });
}

/**
 * An asset the upstream made under `name` although this server heard no answer (a timeout, a dropped
 * connection, or a 404 to a repeat under the same name: the upstream answers a duplicate name so):
 * found by `ListAssets` filtered by the group and the name.
 */
async function findByName(context: HandlerContext, assets: AssetContext, groupId: string, name: string): Promise<string | undefined> {
  const slot = await assets.budget.list();
  if (!slot.ok) return undefined;
  const result = await context.upstream.listAssets(groupId, 1, 10, name);
  context.emit({
    type: 'upstream.response',
    action: 'list_assets',
    ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
    ...(result.ok ? {} : { code: result.failure.kind }),
    durationMs: result.durationMs,
  });
  return result.ok ? result.value.items.find((item) => item.name === name)?.id : undefined;
}

/** The shared budget, `CreateAsset` (or finding what an unanswered one made), then the record. */
async function createAsset(context: HandlerContext, assets: AssetContext, upload: Upload, name: string, retried: boolean, subjectSlot: AssetSlot | undefined): Promise<Response> {
  const { emit, options } = context;
  const started = options.clock();
  const slot = await assets.budget.create();
  if (!slot.ok) {
    // Not this person's doing: their own budget gets the slot back.
    if (subjectSlot?.ok) await subjectSlot.giveBack();
    emit({ type: 'rate_limited', action: 'create_asset', httpStatus: 429 });
    return errorResponse(429, ServerErrorCode.rateLimited, 'Too many uploads right now. Try again shortly.', retryAfterHeader(slot.retryAfterMs));
  }
  const { info, groupId } = upload;
  const result = await context.upstream.createAsset(createAssetBody({ groupId, name, kind: info.kind, mime: info.mime, bytes: upload.bytes }), assets.options.createTimeoutMs);
  emit({
    type: 'upstream.response',
    action: 'create_asset',
    ...(result.ok ? { assetId: result.value.id } : { code: result.failure.kind }),
    ...(result.status === undefined ? {} : { upstreamStatus: result.status }),
    durationMs: result.durationMs,
  });
  let assetId = result.ok ? result.value.id : undefined;
  if (!result.ok) {
    const unanswered = result.failure.kind === 'timeout' || result.failure.kind === 'unreachable';
    if (unanswered || (retried && result.failure.kind === 'not_found')) assetId = await findByName(context, assets, groupId, name);
    if (!assetId) return failureResponse(result.failure);
  }
  const record: AssetRecord = {
    assetId: assetId!,
    subject: upload.subject,
    groupId,
    kind: info.kind,
    name,
    createdAt: started,
    status: 'processing',
  };
  // A record for this id may exist already (the same asset found again): it is kept as it is.
  await context.records.swap(assetKey(record.assetId), null, JSON.stringify(record), assetTtl(assets)(record));
  emit({ type: 'asset.created', assetId: record.assetId, httpStatus: 202, durationMs: options.clock() - started });
  assets.timers.schedule(record.assetId, options.clock() + assets.options.listIntervalMs);
  return acceptedResponse(context, record);
}

/**
 * An upload with an `Idempotency-Key` (scoped to the subject): the key is recorded with the file's
 * fingerprint and the `Name` chosen for it before `CreateAsset`. A repeat while it is in flight waits
 * for it and gets the same asset; a repeat afterwards gets it at once; a repeat with another file is
 * refused (422). A create that failed leaves its record (and its name) behind, so the browser's retry
 * uses the same name: if the first attempt did make the asset upstream, the repeat's 404 (a duplicate
 * name) leads to it instead of to a second asset.
 */
async function idempotentUpload(context: HandlerContext, assets: AssetContext, upload: Upload, key: string, subjectSlot: AssetSlot | undefined): Promise<Response> {
  const { options, records, emit } = context;
  const recordKey = `asset-idempotency:${await sha256Hex(JSON.stringify([upload.subject, key]))}`;
  const fingerprint = `${upload.info.kind}:${await sha256Hex(upload.bytes)}`;
  const inFlightMs = assets.options.createTimeoutMs + 5_000;
  const ttlMs = inFlightMs + assets.options.retainMs;
  for (let round = 0; round < 5; round += 1) {
    const raw = await records.get(recordKey);
    const record = readKeyRecord(raw);
    if (record && record.fingerprint !== fingerprint) {
      emit({ type: 'request.rejected', httpStatus: 422, code: ServerErrorCode.idempotencyKeyReused });
      return errorResponse(422, ServerErrorCode.idempotencyKeyReused, 'This Idempotency-Key was used for another file.');
    }
    if (record?.assetId) {
      const existing = await records.get(assetKey(record.assetId));
      if (existing !== undefined) {
        emit({ type: 'asset.reused', assetId: record.assetId, httpStatus: 202 });
        return acceptedResponse(context, JSON.parse(existing) as AssetRecord);
      }
    }
    if (record && !record.assetId && options.clock() < record.until) {
      const local = context.creates.get(recordKey);
      if (local) await local;
      else {
        // In flight on another instance: wait until its record changes (bounded in rounds too).
        for (let delay = 250, rounds = 0; options.clock() < record.until && rounds < inFlightMs / 250; delay = Math.min(delay * 2, 1000), rounds += 1) {
          await sleep(delay);
          if ((await records.get(recordKey)) !== raw) break;
        }
      }
      continue;
    }
    // Claim the key (or take over one whose creator died or failed), keeping its name.
    const name = record?.name ?? assetName(options.clock());
    const mine = JSON.stringify({ fingerprint, name, until: options.clock() + inFlightMs } satisfies KeyRecord);
    if (!(await records.swap(recordKey, raw ?? null, mine, ttlMs))) continue;
    const run = (async () => {
      const response = await createAsset(context, assets, upload, name, record !== undefined, subjectSlot);
      const created = response.status === 202 ? ((await response.clone().json()) as CreateAssetResponse).assetId : undefined;
      // Made: the key names the asset. Failed: the key keeps the file and the name for the retry.
      await records.swap(
        recordKey,
        mine,
        JSON.stringify({ fingerprint, name, until: created ? options.clock() + inFlightMs : 0, ...(created ? { assetId: created } : {}) } satisfies KeyRecord),
        ttlMs,
      );
      return response;
    })();
    context.creates.set(recordKey, run);
    try {
      return await run;
    } finally {
      context.creates.delete(recordKey);
    }
  }
  return errorResponse(503, ServerErrorCode.upstreamUnavailable, 'This upload is being processed right now. Try again shortly.', retryAfterHeader(1000));
}

/**
 * `POST {basePath}/assets`: one photo or video of the verified person, as `multipart/form-data` (part
 * `file`), into the LivenessFace group `groupIdFor` names for the request's subject. The walls first
 * (the Origin check, then `authorize`: a multipart form is a request another site's page can send
 * without a preflight), then the subject's own budget, then the file, read as it streams and judged
 * again whatever the browser checked, then `CreateAsset` under a name the server chooses. Answers
 * `202 { assetId, statusUrl, eventsUrl?, status }`: the upstream checks the face asynchronously.
 */
export async function assetUploadRoute(context: HandlerContext, request: Request): Promise<Response> {
  const assets = context.assets!;
  const { emit } = context;
  const reject = async (response: Response, code: string) => {
    // Whatever of the file has not been read stays unread: the adapter closes the connection.
    await request.body?.cancel().catch(() => undefined);
    emit({ type: 'request.rejected', httpStatus: response.status, code });
    return response;
  };
  const foreign = checkOrigin(context, request);
  if (foreign) return reject(foreign, ServerErrorCode.originNotAllowed);
  const authorized = await authorizeRequest(context, request);
  if (!authorized.ok)
    return reject(authorized.response, authorized.response.status === 401 ? ServerErrorCode.unauthorized : authorized.response.status === 403 ? ServerErrorCode.forbidden : 'invalid_subject');
  const { subject } = authorized;
  const notFound = () => reject(errorResponse(404, ServerErrorCode.notFound, 'There is no verified person to add this to: verify first.'), 'no_group');
  if (subject === undefined) return notFound();
  let groupId: unknown;
  try {
    groupId = await assets.options.groupIdFor(subject);
  } catch {
    // The app's lookup failed (its database, say): its error may describe its internals, so it is not echoed.
    return reject(errorResponse(500, ServerErrorCode.internal, 'Something went wrong on the server. Try again.'), 'group_lookup_failed');
  }
  if (typeof groupId !== 'string' || groupId === '' || groupId.length > 512) return notFound();

  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key !== null && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return reject(errorResponse(400, ServerErrorCode.invalidRequest, `\`${IDEMPOTENCY_KEY_HEADER}\` must be 16 to 200 visible ASCII characters.`), 'invalid_idempotency_key');
  }
  // The subject's own budget before a byte of the file is read, unless this repeats an upload it already paid for.
  const repeat = key !== null && (await context.records.get(`asset-idempotency:${await sha256Hex(JSON.stringify([subject, key]))}`)) !== undefined;
  const subjectSlot = repeat ? undefined : await assets.budget.subject(subject);
  if (subjectSlot && !subjectSlot.ok) {
    emit({ type: 'rate_limited', action: 'create_asset', httpStatus: 429, code: ServerErrorCode.clientRateLimited });
    return reject(errorResponse(429, ServerErrorCode.clientRateLimited, 'You added too many files. Try again later.', retryAfterHeader(subjectSlot.retryAfterMs)), ServerErrorCode.clientRateLimited);
  }
  const upload = await readUpload(request, assets.options.limits, assets.options.types);
  if (!upload.ok) {
    if (subjectSlot?.ok) await subjectSlot.giveBack();
    return reject(upload.response, upload.reason ?? 'invalid_upload');
  }
  const accepted: Upload = { subject, groupId, info: upload.info, bytes: upload.bytes };
  if (key !== null) return idempotentUpload(context, assets, accepted, key, subjectSlot);
  return createAsset(context, assets, accepted, assetName(context.options.clock()), false, subjectSlot);
}
