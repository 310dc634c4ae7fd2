/** One entry of a return-URL allowlist, parsed: see {@link returnUrlRules}. */
export interface ReturnUrlRule {
  origin: string;
  /** The path the URL must be at or under; `undefined` for an origin entry (any path). */
  prefix: string | undefined;
}

/**
 * An allowlist, parsed once (with the handler's options) rather than on every create. Each entry is either
 * an origin (`https://app.example.com`: any path there) or a URL prefix (`https://app.example.com/done`:
 * that path and below, never `/done-evil`). An entry that is not a URL allows nothing.
 */
export function returnUrlRules(allowed: readonly string[]): readonly ReturnUrlRule[] {
  return allowed.flatMap((entry) => {
    let rule: URL;
    try {
      rule = new URL(entry);
    } catch {
      return [];
    }
    const path = rule.pathname;
    return [{ origin: rule.origin, prefix: path === '/' || path === '' ? undefined : path }];
  });
}

/**
 * Whether `candidate` may be used as the phone's landing page: on an allowlist's origin, under its path.
 * Only `http:`/`https:`; anything else could run script or leave the web. The open-redirect risk is why
 * this is an allowlist and not a pattern.
 */
export function isAllowedReturnUrl(candidate: string, rules: readonly ReturnUrlRule[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  const { origin, pathname: path } = url;
  return rules.some((rule) => rule.origin === origin && (rule.prefix === undefined || path === rule.prefix || path.startsWith(rule.prefix.endsWith('/') ? rule.prefix : `${rule.prefix}/`)));
}

/** The return URL with `livenessSessionId` set, so the landing page can look up the outcome. */
export function withSessionId(returnUrl: string, sessionId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('livenessSessionId', sessionId);
  return url.toString();
}
