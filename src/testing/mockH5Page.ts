import { escapeHtml } from '../server/routes/callbackPage.js';

type PageLocale = 'en' | 'zh';

const TEXT = {
  en: {
    title: 'Liveness check (simulated)',
    intro: 'This is a simulated BytePlus liveness page from react-liveness-session/testing. No camera is used.',
    pass: 'Pass',
    fail: 'Fail',
    camera: 'Camera error',
    liveness: 'Face check fails',
    expired: 'This verification link has expired.',
    used: 'This verification link has already been used.',
    unknown: 'This verification link is not valid.',
  },
  zh: {
    title: '活体检测（模拟）',
    intro: '这是 react-liveness-session/testing 提供的模拟活体检测页面，不会使用摄像头。',
    pass: '通过 (Pass)',
    fail: '失败 (Fail)',
    camera: '相机错误 (Camera error)',
    liveness: '人脸核验失败 (Face check fails)',
    expired: '此验证链接已过期。',
    used: '此验证链接已被使用。',
    unknown: '此验证链接无效。',
  },
} as const;

/** `lng` of the link → page language; like the real page, Chinese unless English is asked for. */
export function mockPageLocale(lng: string | null): PageLocale {
  return lng === 'en' ? 'en' : 'zh';
}

/**
 * The page's policy. Its buttons post to the mock itself, which redirects the phone to the session's
 * `CallbackURL`; browsers apply `form-action` to that redirect too, so the callback's origin must be
 * allowed, or a mock served on its own origin would strand the phone on its page.
 */
function pageCsp(formTargets: readonly string[]): string {
  return `default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action ${["'self'", ...formTargets].join(' ')}; base-uri 'none'; frame-ancestors 'none'`;
}

/** `url`'s origin as a CSP source (`https://app.example.com:8443`), or `undefined` for anything else. */
export function cspOrigin(url: string): string | undefined {
  // URL parsing lets `;` and `,` into a host: only plain hosts may join a policy.
  const origin = URL.canParse(url) ? new URL(url).origin : '';
  return /^https?:\/\/[\w.:[\]-]+$/.test(origin) ? origin : undefined;
}

/** Headers of the simulated page whose form may also lead to `formTargets` (origins, see {@link cspOrigin}). */
export function mockPageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  return { ...MOCK_PAGE_HEADERS, 'Content-Security-Policy': pageCsp(formTargets) };
}

export const MOCK_PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': pageCsp([]),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // For browsers that predate CSP frame-ancestors: the page holds Pass/Fail buttons worth clickjacking.
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

function shell(locale: PageLocale, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(TEXT[locale].title)}</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;background:#101418;color:#f2f4f7;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{max-width:26rem;margin:1rem;padding:1.5rem;text-align:center}
.face{width:9rem;height:9rem;margin:0 auto 1rem;border-radius:50%;border:4px dashed #4c9aff}
form{display:flex;flex-wrap:wrap;gap:.75rem;justify-content:center;margin-top:1.25rem}
button{font-size:1.1rem;padding:.75rem 1.5rem;border-radius:8px;border:0;cursor:pointer}
button[value=pass]{background:#1f883d;color:#fff}
button[value=fail]{background:#cf222e;color:#fff}
button[value=camera],button[value=liveness]{background:#57606a;color:#fff}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The simulated H5 page: two buttons posting the decision back to the mock. */
export function mockH5Page(locale: PageLocale, bytedToken: string, decidePath: string, lng: string): string {
  const text = TEXT[locale];
  return shell(
    locale,
    `<div class="face" aria-hidden="true"></div>
<h1>${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.intro)}</p>
<form method="post" action="${escapeHtml(decidePath)}">
<input type="hidden" name="bytedToken" value="${escapeHtml(bytedToken)}">
<input type="hidden" name="lng" value="${escapeHtml(lng)}">
<button type="submit" name="outcome" value="pass" data-mock-outcome="pass">${escapeHtml(text.pass)}</button>
<button type="submit" name="outcome" value="fail" data-mock-outcome="fail">${escapeHtml(text.fail)}</button>
<button type="submit" name="outcome" value="camera" data-mock-outcome="camera">${escapeHtml(text.camera)}</button>
<button type="submit" name="outcome" value="liveness" data-mock-outcome="liveness">${escapeHtml(text.liveness)}</button>
</form>`,
  );
}

/** The page for a link that cannot be used (any more). */
export function mockH5Notice(locale: PageLocale, kind: 'expired' | 'used' | 'unknown'): string {
  return shell(locale, `<h1>${escapeHtml(TEXT[locale].title)}</h1>\n<p data-mock-notice="${escapeHtml(kind)}">${escapeHtml(TEXT[locale][kind])}</p>`);
}
