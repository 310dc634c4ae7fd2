/**
 * Whether `candidate` may be used as the phone's landing page. Each allowlist entry is either an origin
 * (`https://app.example.com`: any path there) or a URL prefix (`https://app.example.com/done`: that path
 * and below, never `/done-evil`). Only `http:`/`https:`; anything else could run script or leave the web.
 * The open-redirect risk is why this is an allowlist and not a pattern.
 */
export function isAllowedReturnUrl(candidate: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  return allowed.some((entry) => {
    let rule: URL;
    try {
      rule = new URL(entry);
    } catch {
      return false;
    }
    if (rule.origin !== url.origin) return false;
    const prefix = rule.pathname;
    if (prefix === '/' || prefix === '') return true;
    const path = url.pathname;
    return path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  });
}

/** The return URL with `livenessSessionId` set, so the landing page can look up the outcome. */
export function withSessionId(returnUrl: string, sessionId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('livenessSessionId', sessionId);
  return url.toString();
}
