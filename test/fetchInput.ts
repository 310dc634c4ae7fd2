/** The URL a fetch was called with, in whichever form it came: a string, a URL or a Request. */
export function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}
