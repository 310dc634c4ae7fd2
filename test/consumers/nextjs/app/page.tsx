// A server component rendering the package's client component: the HTML carries the component's
// neutral placeholder, the browser hydrates it and decides QR or link after mount.
import { headers } from 'next/headers';
import { LivenessSession } from 'react-liveness-session';
// Plain data from an entry without 'use client': it crosses the server → client boundary as a prop.
import { zhCN } from 'react-liveness-session/locales';

// Rendered on every request (not only at build time), so `next start` really server-renders it.
export const dynamic = 'force-dynamic';

export default async function Page() {
  // The page's Content-Security-Policy nonce (proxy.ts): the component's styles go in a <style nonce>,
  // so the theme reaches the server-rendered HTML under a policy without 'unsafe-inline'.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <main>
      <h1>Verify it is you</h1>
      <LivenessSession endpoint="/api/liveness/sessions" locale={zhCN} nonce={nonce} theme={{ accent: '#7c3aed' }} />
    </main>
  );
}
