import { advanceAsset } from '../assets/advanceAsset.js';
import type { AssetContext } from '../assets/assetContext.js';
import { assetStatusBody, type AssetRecord } from '../assets/assetRecord.js';
import type { HandlerContext } from '../handlerContext.js';
import { STREAM_HEARTBEAT_MS } from '../limits.js';
import { STREAM_HEADERS } from './sessionEventStream.js';

const encoder = new TextEncoder();

/**
 * The body of `GET …/assets/:id/events`: the asset's status at once, then each change of it (the same
 * JSON as the status route), a comment every 15 s, and the end once it is `active` or `failed` (or
 * gone). Every `listIntervalMs` it moves the asset on as a status read would (the group's listing is
 * shared, so a stream costs no more upstream calls than a poll); a change this process writes is sent
 * at once. The request's abort or the body's cancel releases everything.
 */
export function assetEventStream(context: HandlerContext, assets: AssetContext, request: Request, first: AssetRecord): Response {
  const { assetId } = first;
  let output: ReadableStreamDefaultController<Uint8Array>;
  let last: string | undefined;
  let closed = false;
  let busy = false;
  let again = false;
  let tick: ReturnType<typeof setInterval> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  context.streams.open += 1;
  const unsubscribe = assets.changes.add(assetId, () => void refresh());

  function release(): void {
    if (closed) return;
    closed = true;
    context.streams.open -= 1;
    unsubscribe();
    clearInterval(tick);
    clearInterval(heartbeat);
    request.signal?.removeEventListener('abort', end);
  }

  function end(): void {
    if (closed) return;
    release();
    try {
      output.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  }

  function write(text: string): void {
    try {
      output.enqueue(encoder.encode(text));
    } catch {
      release();
    }
  }

  /** Sends the status when it says something new; `true` once it is final. */
  function send(record: AssetRecord): boolean {
    const said = JSON.stringify(assetStatusBody(record));
    if (said !== last) {
      last = said;
      write(`data: ${said}\n\n`);
    }
    return record.status !== 'processing';
  }

  async function refresh(): Promise<void> {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const record = await advanceAsset(context, assets, assetId);
        if (closed) return;
        if (!record || send(record)) return end();
      } while (again);
    } catch {
      // A failing store: the next tick tries again, as the browser's next poll would.
    } finally {
      busy = false;
    }
  }

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      output = controller;
      request.signal?.addEventListener('abort', end);
      if (request.signal?.aborted) return end();
      write('retry: 2000\n\n');
      if (send(first)) return end();
      heartbeat = setInterval(() => write(':\n\n'), STREAM_HEARTBEAT_MS);
      tick = setInterval(() => void refresh(), assets.options.listIntervalMs);
      void refresh();
    },
    cancel: release,
  });
  return new Response(body, { status: 200, headers: STREAM_HEADERS });
}
