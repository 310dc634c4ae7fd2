import { nodeRequestAddress } from './lazy/nodeRequest.js';

// The address of the client behind a request, as the Node adapter saw it. A WeakMap, not a header: a
// header can be sent by anyone, an entry here only by the adapter that accepted the connection. A lazy
// request (`lazy/nodeRequest.ts`) carries its own, set by the adapter that made it.
const addresses = new WeakMap<Request, string>();

/** Called by the Node adapter for every request it builds. */
export function recordClientAddress(request: Request, address: string | undefined): void {
  if (address) addresses.set(request, address);
}

/**
 * The client address `toNodeHandler` recorded for this request: the socket's remote address, or with
 * `trustProxy` the address the proxy appended to `X-Forwarded-For`. `undefined` for requests that did
 * not come through the adapter (Next.js, Hono, serverless): key those clients yourself, see `clientKey`.
 */
export function clientAddressOf(request: Request): string | undefined {
  return addresses.get(request) ?? nodeRequestAddress(request);
}
