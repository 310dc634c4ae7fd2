// Reads a `text/event-stream` body block by block, the way EventSource splits it: a block is the
// lines up to a blank line; `data:` lines are the event, `:` lines comments, `retry:` the reconnection delay.
import type { SessionStatusResponse } from '../../src/core/wire/protocol.js';

export type SseBlock = { kind: 'data'; data: SessionStatusResponse } | { kind: 'comment'; text: string } | { kind: 'retry'; ms: number } | { kind: 'end' };

export function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const reader_ = {
    /** The next block, or `{ kind: 'end' }` once the server closed the stream. */
    async next(): Promise<SseBlock> {
      for (;;) {
        const cut = buffer.indexOf('\n\n');
        if (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.startsWith('data: ')) return { kind: 'data', data: JSON.parse(block.slice(6)) as SessionStatusResponse };
          if (block.startsWith(':')) return { kind: 'comment', text: block.slice(1) };
          if (block.startsWith('retry: ')) return { kind: 'retry', ms: Number(block.slice(7)) };
          throw new Error(`unexpected block ${JSON.stringify(block)}`);
        }
        if (ended) return { kind: 'end' };
        const { done, value } = await reader.read();
        if (done) ended = true;
        else buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The next status event, skipping comments and the retry field. */
    async nextStatus(): Promise<SessionStatusResponse | undefined> {
      for (;;) {
        const block = await reader_.next();
        if (block.kind === 'end') return undefined;
        if (block.kind === 'data') return block.data;
      }
    },
    /** Every status event until the server ends the stream. */
    async rest(): Promise<SessionStatusResponse[]> {
      const all: SessionStatusResponse[] = [];
      for (let status = await reader_.nextStatus(); status; status = await reader_.nextStatus()) all.push(status);
      return all;
    },
    cancel: () => reader.cancel(),
  };
  return reader_;
}
