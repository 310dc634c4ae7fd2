import { advanceAsset } from '../assets/advanceAsset.js';
import type { AssetContext } from '../assets/assetContext.js';
import { assetStatusBody, type AssetRecord } from '../assets/assetRecord.js';
import type { HandlerContext } from '../handlerContext.js';
import { oneAtATime, openEventStream } from './eventStream.js';

/**
 * The body of `GET …/assets/:id/events`: the asset's status at once, then each change of it (the same
 * JSON as the status route), a comment every 15 s, and the end once it is `active` or `failed` (or
 * gone). Every `listIntervalMs` it moves the asset on as a status read would (the group's listing is
 * shared, so a stream costs no more upstream calls than a poll); a change this process writes is sent
 * at once. The request's abort or the body's cancel releases everything.
 */
export function assetEventStream(context: HandlerContext, assets: AssetContext, request: Request, first: AssetRecord): Response {
  const { assetId } = first;
  let last: string | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;

  const refresh = oneAtATime(async () => {
    if (stream.closed) return;
    try {
      const record = await advanceAsset(context, assets, assetId);
      if (stream.closed) return;
      if (!record || send(record)) stream.end();
    } catch {
      // A failing store: the next tick tries again, as the browser's next poll would.
    }
  });
  const unsubscribe = assets.changes.add(assetId, () => void refresh());
  const { stream, response } = openEventStream(context, request, () => {
    unsubscribe();
    clearInterval(tick);
  });

  /** Sends the status when it says something new; `true` once it is final. */
  function send(record: AssetRecord): boolean {
    const said = JSON.stringify(assetStatusBody(record));
    if (said !== last) {
      last = said;
      stream.send(said);
    }
    return record.status !== 'processing';
  }

  if (stream.closed) return response;
  if (send(first)) {
    stream.end();
    return response;
  }
  tick = setInterval(() => void refresh(), assets.options.listIntervalMs);
  void refresh();
  return response;
}
