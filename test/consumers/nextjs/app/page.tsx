// A server component rendering the package's client component: the HTML carries the component's
// neutral placeholder, the browser hydrates it and decides QR or link after mount.
import { LivenessSession } from 'react-liveness-session';
// Plain data from an entry without 'use client': it crosses the server → client boundary as a prop.
import { zhCN } from 'react-liveness-session/locales';

// Rendered on every request (not only at build time), so `next start` really server-renders it.
export const dynamic = 'force-dynamic';

export default function Page() {
  return (
    <main>
      <h1>Verify it is you</h1>
      <LivenessSession endpoint="/api/liveness/sessions" locale={zhCN} />
    </main>
  );
}
