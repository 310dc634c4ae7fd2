// Requests the Node adapter hands a `LivenessHandler` before building them (`nodeRequest.ts`): a route
// reads their method, URL, headers, body and signal straight from Node's request, and anything else
// builds the full `Request` once. Building one costs more than a status poll's own work (the headers
// copied and validated, the signal linked), and most routes never need it. Only the adapter makes
// them, and only for the handlers that said they take them.
import { readCappedText } from '../../../core/wire/readCappedText.js';
import { fullRequestOf, isNodeRequest, nodeRequestPath, nodeRequestText } from './nodeRequest.js';

/** Fetch handlers that take lazy requests. The adapter builds a full `Request` for every other one. */
const lazyHandlers = new WeakSet<object>();

/** Called by `createLivenessHandler` for the handler it returns: its routes and hooks cope (see `fullRequest`). */
export function acceptLazyRequests(handler: object): void {
  lazyHandlers.add(handler);
}

export function acceptsLazyRequests(handler: object): boolean {
  return lazyHandlers.has(handler);
}

/** Whether this request came from the Node adapter unbuilt: its answer goes back to the adapter alone. */
export function isLazyRequest(request: Request): boolean {
  return isNodeRequest(request);
}

/**
 * What an app's hook (`authorize`, `clientKey`) receives: the full `Request` behind a lazy one (built on
 * first use, then shared with the route), or the request itself. App code may do anything with it
 * (`new Request(request)`, `fetch(request)`, hand it to an auth library) and gets what it always got.
 */
export function fullRequest(request: Request): Request {
  return fullRequestOf(request);
}

/** The path of the request's URL (`new URL(request.url).pathname`), without parsing it again when the adapter did. */
export function requestPath(request: Request): string {
  return nodeRequestPath(request) ?? new URL(request.url).pathname;
}

/**
 * The request's body as UTF-8 text, `null` once it passes `maxBytes` (a `Content-Length` can be missing
 * or lie, so bytes are counted). A lazy request's body is read straight off the socket, without a stream.
 */
export function readBodyText(request: Request, maxBytes: number): Promise<string | null> {
  return nodeRequestText(request, maxBytes) ?? readCappedText(request.body, maxBytes);
}
