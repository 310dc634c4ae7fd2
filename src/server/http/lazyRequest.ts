// Requests the Node adapter hands a `LivenessHandler` before building them (see `nodeRequest.ts`): a
// route reads their method, URL, headers and signal straight from Node's request, and anything else
// builds the full `Request` once. Building one costs more than a status poll's own work (the headers
// copied and validated, the signal linked), and most routes never need it. WeakMaps, as for client
// addresses: nothing on a request says it is one, and only the adapter can register one.
const lazyRequests = new WeakMap<Request, LazyRequestInfo>();

interface LazyRequestInfo {
  /** Builds the full Request (the same one every call). */
  build: () => Request;
  /** The URL's path, as `new URL(request.url).pathname` gives it: the adapter knows it already. */
  pathname: string;
}
/** Fetch handlers that take lazy requests. The adapter builds a full `Request` for every other one. */
const lazyHandlers = new WeakSet<object>();

/** Called by `createLivenessHandler` for the handler it returns: its routes and hooks cope (see `fullRequest`). */
export function acceptLazyRequests(handler: object): void {
  lazyHandlers.add(handler);
}

export function acceptsLazyRequests(handler: object): boolean {
  return lazyHandlers.has(handler);
}

/** Called by the Node adapter for each lazy request it makes. */
export function registerLazyRequest(request: Request, info: LazyRequestInfo): void {
  lazyRequests.set(request, info);
}

/** Whether this request came from the Node adapter unbuilt: its answer goes back to the adapter alone. */
export function isLazyRequest(request: Request): boolean {
  return lazyRequests.has(request);
}

/**
 * What an app's hook (`authorize`, `clientKey`) receives: the full `Request` behind a lazy one (built on
 * first use, then shared with the route), or the request itself. App code may do anything with it
 * (`new Request(request)`, `fetch(request)`, hand it to an auth library) and gets what it always got.
 */
export function fullRequest(request: Request): Request {
  const info = lazyRequests.get(request);
  return info ? info.build() : request;
}

/** The path of the request's URL (`new URL(request.url).pathname`), without parsing it again when the adapter did. */
export function requestPath(request: Request): string {
  return lazyRequests.get(request)?.pathname ?? new URL(request.url).pathname;
}
