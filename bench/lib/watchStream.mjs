/**
 * Reads an event-stream answer until it carries `"status":"verified"`: `verified` resolves with the
 * `performance.now()` of that moment (or `undefined` if the stream ended first); `cancel` stops reading.
 * Shared by the push and Redis-outage benches.
 */
export function watchStream(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const verified = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      text += decoder.decode(value, { stream: true });
      if (text.includes('"status":"verified"')) return performance.now();
    }
  })();
  return { verified, cancel: () => reader.cancel().catch(() => undefined) };
}
