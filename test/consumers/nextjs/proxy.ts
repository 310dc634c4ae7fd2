// A strict Content-Security-Policy on every page, the way Next.js documents it: a fresh nonce per
// request, handed to the page through a request header. The page passes it to <LivenessSession>, which
// then puts its few styles (the theme variables, the hidden live region) in one <style nonce> instead of
// style attributes, which this policy drops from server-rendered HTML. The API routes and the mock's
// H5 page are not pages of this app: they answer with their own headers.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  // `next dev` evaluates code for fast refresh, and its devtools overlay injects styles; production
  // (what the test checks strictly) needs neither.
  const dev = process.env.NODE_ENV === 'development';
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // `next dev`'s overlay injects its own <style> elements and attributes.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  // Next.js reads the nonce from the request's policy and puts it on its own scripts.
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!api/|mock-upstream/|_next/static|_next/image|icon).*)' }],
};
