/** Where a request was addressed: what `new URL(target, scheme://host)` makes of it, as text. */
export interface RequestUrl {
  href: string;
  pathname: string;
}

/** Only the characters a host and port can have: `new URL` would accept some others (a path, userinfo). */
const HOST = /^[A-Za-z0-9.:[\]_-]+$/;

/**
 * A path `new URL` keeps exactly as it is: nothing it would encode, resolve (`.` and `..` segments;
 * `%2e` is excluded with every `%`) or read as an authority (`//host`), and no query. A status poll's
 * path is one, a create's too.
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
const DOT_SEGMENT = /\/\.{1,2}(?:\/|$)/;

/** `scheme://host` → its origin as `new URL` writes it (lower-case host, default port dropped, IPv4 forms). */
const origins = new Map<string, string>();
/** Any client picks its `Host`: the cache stays small and starts over when full. */
const MAX_ORIGINS = 64;

function originOf(base: string): string {
  let origin = origins.get(base);
  if (origin === undefined) {
    origin = new URL(base).origin;
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(base, origin);
  }
  return origin;
}

/**
 * The URL of a request for `target` (its request line: a path, or an absolute URL) sent to `host`, or
 * `undefined` when `host` cannot be part of one. The same text as `new URL(target, `${scheme}://${host}`)`
 * gives, without parsing it again for every request of the usual kind.
 */
export function urlOf(scheme: 'http' | 'https', host: string, target: string): RequestUrl | undefined {
  if (!HOST.test(host)) return undefined;
  const base = `${scheme}://${host}`;
  try {
    if (PLAIN_PATH.test(target) && !DOT_SEGMENT.test(target)) return { href: `${originOf(base)}${target}`, pathname: target };
    const url = new URL(target, base);
    return { href: url.href, pathname: url.pathname };
  } catch {
    return undefined;
  }
}
