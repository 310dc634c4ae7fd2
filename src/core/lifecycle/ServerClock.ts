/**
 * The backend's clock, learned from its answers: the browser's own may be minutes off (no NTP, a
 * manual clock, a VM, an old phone), and a link's `expiresAt` is on the server's clock.
 *
 * Each answer bounds `offset` (server time − browser time): the server wrote it at a moment between
 * sending the request and receiving the answer. `expiresAt − expiresInMs` gives that moment to the
 * millisecond, the `Date` header to the second. The clock keeps the largest lower bound: judged by
 * it, a link never ends early, and at most a round trip (or a second) late.
 */
export class ServerClock {
  /** Server time minus browser time, in ms; 0 until an answer tells. */
  offset = 0;
  /** Whether any answer told the server's time. */
  known = false;

  /** Learns from one answer: request sent and answer received (browser ms), its `Date` header and its body. */
  learn(sentAt: number, receivedAt: number, date: string | null, body: unknown): void {
    const { expiresAt, expiresInMs } = ((typeof body === 'object' && body) || {}) as { expiresAt?: unknown; expiresInMs?: unknown };
    const expires = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
    const left = typeof expiresInMs === 'number' ? expiresInMs : NaN;
    const header = date ? Date.parse(date) : NaN;
    let low: number;
    let high = Infinity;
    if (left > 0 && expires === expires) {
      low = expires - left - receivedAt;
      high = expires - left - sentAt;
    } else if (header === header) {
      low = header - receivedAt;
      high = header + 999 - sentAt;
    } else if (left === 0 && expires === expires) {
      // At or past expiry (`expiresInMs` never goes negative): the server's time is at least `expiresAt`.
      low = expires - receivedAt;
    } else return;
    // A bound below what we believed means this browser's clock jumped: start over from this answer.
    this.offset = this.known && high >= this.offset ? Math.max(this.offset, low) : low;
    this.known = true;
  }

  /** The server's time now, in epoch ms. */
  now(): number {
    return Date.now() + this.offset;
  }
}
