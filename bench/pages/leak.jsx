// Leaks: mounts a <LivenessSession> until it is ready, unmounts it, and again, as often as asked.
// ?variant=provider shares the app's QueryClient (the cache must forget each session);
// ?variant=private lets each component make its own client; ?variant=control is a bare
// QRCodeSVG-from-fetch component, to tell the harness's and the browser's own growth from the library's.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QRCodeSVG } from 'qrcode.react';
import { LivenessSession } from 'react-liveness-session';
import 'react-liveness-session/styles.css';

const variant = new URLSearchParams(location.search).get('variant') ?? 'provider';
const root = createRoot(document.getElementById('root'));
const queryClient = variant === 'provider' ? new QueryClient() : null;
let key = 0;

function settled() {
  const find = () => document.querySelector('[data-liveness-session][data-state="ready"], [data-liveness-session][data-state="error"]');
  return new Promise((resolve) => {
    if (find()) return resolve(find());
    const observer = new MutationObserver(() => {
      const el = find();
      if (el) {
        observer.disconnect();
        resolve(el);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

/** Resolves once the unmount has been committed (createRoot renders asynchronously). */
function gone() {
  return new Promise((resolve) => {
    if (!document.querySelector('[data-liveness-session]')) return resolve();
    const observer = new MutationObserver(() => {
      if (!document.querySelector('[data-liveness-session]')) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true });
  });
}

function Control() {
  const [value, setValue] = useState(null);
  useEffect(() => {
    const controller = new AbortController();
    fetch('/api/liveness/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"locale":"en"}', signal: controller.signal })
      .then((response) => response.json())
      .then(
        (data) => setValue(data.qrUrl ?? data.h5Link),
        () => undefined,
      );
    return () => controller.abort();
  }, []);
  return (
    <div data-liveness-session="" data-state={value ? 'ready' : 'creating'}>
      {value ? <QRCodeSVG value={value} size={200} marginSize={4} /> : null}
    </div>
  );
}

function element() {
  key += 1;
  if (variant === 'control') return <Control key={key} />;
  const session = <LivenessSession key={key} endpoint="/api/liveness/sessions" mode="qr" locale="en" />;
  return queryClient ? <QueryClientProvider client={queryClient}>{session}</QueryClientProvider> : session;
}

/** Runs `n` mount → ready → unmount cycles; resolves with how many ended in `error`. */
window.benchCycles = async (n) => {
  let errors = 0;
  for (let i = 0; i < n; i += 1) {
    root.render(element());
    const el = await settled();
    if (el.getAttribute('data-state') === 'error') errors += 1;
    root.render(queryClient ? <QueryClientProvider client={queryClient}>{null}</QueryClientProvider> : null);
    await gone();
  }
  // Let react-query's gcTime: 0 removals (scheduled with setTimeout 0) run.
  await new Promise((done) => window.__orig.setTimeout(done, 50));
  // The browser's own resource-timing buffer grows with every request: not the app's, so cleared.
  performance.clearResourceTimings();
  const queries = queryClient ? queryClient.getQueryCache().getAll() : [];
  return {
    errors,
    cachedQueries: queryClient ? queries.length : null,
    // Key shape and whether data is held, never the data itself (it may hold the secret link).
    cachedQueryKeys: queries.map((q) => ({ key: JSON.stringify(q.queryKey).slice(0, 80), hasData: q.state.data !== undefined, observers: q.getObserversCount() })),
  };
};
window.benchReady = true;
