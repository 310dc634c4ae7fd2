// Lazily loaded views, timed: the time from the state change that shows a view to its text on screen,
// one case per page load (`?case=`), against a backend stand-in in the page (the component's `fetch`
// option), so each state comes when the case says. The chunks come from the server as on a first visit.
// Also the QR code drawn after a refresh (the code expired) and after Start again from `opened`: the
// create answer of the new session → the new code painted, the encoder already loaded.
//
// window.__bench = { done, from, text, painted } (performance.now() times), read by bench/lazyViews.mjs.
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { QRCodeSVG } from 'qrcode.react';
import { LivenessSession } from 'react-liveness-session';
import { en } from 'react-liveness-session/locales';
import 'react-liveness-session/styles.css';

const text = en.displayText;
const name = new URLSearchParams(location.search).get('case');
const bench = (window.__bench = { done: false, from: null, text: null, painted: null, creates: 0 });
const at = () => performance.now();
const LINK = 'http://127.0.0.1/h5?pl=FAKE-bench-not-a-secret';
const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', Date: new Date().toUTCString() } });
const later = (ms, value) => new Promise((done) => setTimeout(() => done(value), ms));

// A fast backend: 50 ms per answer (the library's handler on this machine answers a create in about
// 20 ms; a real one, which calls the upstream, takes hundreds). `?latency=0` is the worst case: every
// state that follows a request comes before the page could have fetched anything.
const LATENCY_MS = Number(new URLSearchParams(location.search).get('latency') ?? 50);

/** A backend stand-in: `create(n)` answers the n-th POST, `status(n)` the n-th GET, each after LATENCY_MS. */
function backend({ create = () => ({}), status = () => ({ status: 'pending' }) }) {
  let posts = 0;
  let gets = 0;
  return async (input, init = {}) => {
    if ((init.method ?? 'GET') === 'POST') {
      posts += 1;
      const n = posts;
      await later(LATENCY_MS);
      const answer = json(201, { sessionId: `sess_${n}`, h5Link: `${LINK}-${n}`, statusUrl: `/bench/s/sess_${n}`, expiresAt: new Date(Date.now() + 120_000).toISOString(), ...create(n) });
      bench.creates = n;
      performance.mark(`create-response-${n}`);
      return answer;
    }
    if (init.method === 'DELETE') return json(200, { status: 'expired' });
    gets += 1;
    const body = status(gets);
    return later(LATENCY_MS, json(200, { expiresAt: new Date(Date.now() + 120_000).toISOString(), ...body }));
  };
}

/** The stand-in refusing every create with a 403 (after its latency): the create fails for good. */
function refusing(inner) {
  return async (input, init = {}) => {
    const response = await inner(input, init);
    return (init.method ?? 'GET') === 'POST' ? json(403, { error: { code: 'forbidden', message: 'FAKE' } }) : response;
  };
}

// Each case: the props, what starts the clock (a state, 'mount', or the n-th create answer), and what
// stops it (a text on screen, any of a list, or the QR code drawn).
const CASES = {
  // The floor: the link view is up front, drawn in the commit of its state.
  link: { props: { mode: 'link', fetch: backend({}) }, from: 'ready', until: text.linkButton },
  // A phone opened the code.
  opened: { props: { fetch: backend({ status: () => ({ status: 'pending', openedAt: new Date().toISOString() }) }), pollIntervalMs: 300, transport: 'poll' }, from: 'opened', until: text.openedTitle },
  error: { props: { fetch: refusing(backend({})), retry: 0 }, from: 'error', until: text.unauthorizedError },
  verified: {
    props: { fetch: backend({ status: (n) => (n < 2 ? { status: 'pending' } : { status: 'verified', groupId: 'group-FAKE' }) }), pollIntervalMs: 300, transport: 'poll' },
    from: 'verified',
    until: text.verifiedTitle,
  },
  failed: {
    props: { fetch: backend({ status: (n) => (n < 2 ? { status: 'pending' } : { status: 'failed', reason: 'liveness' }) }), pollIntervalMs: 300, transport: 'poll' },
    from: 'failed',
    until: text.failedLivenessTitle,
  },
  // Back from the check in this tab: the status is read at once after load, the outcome follows.
  resumed: { props: { fetch: backend({ status: () => ({ status: 'verified', groupId: 'group-FAKE' }) }) }, from: 'verified', until: text.verifiedTitle, resume: true },
  expired: {
    props: { fetch: backend({ create: () => ({ statusUrl: undefined, expiresAt: new Date(Date.now() + 600).toISOString() }) }), maxAutoRefresh: 0 },
    from: 'expired',
    until: text.expiredTitle,
  },
  consent: { props: { consent: { policyUrl: 'https://app.example.test/privacy' }, fetch: backend({}) }, from: 'mount', until: text.consentText },
  countdown: { props: { showCountdown: true, fetch: backend({}) }, from: 'ready', until: 'Expires in' },
  inApp: { props: { mode: 'link', fetch: backend({}) }, from: 'ready', until: text.inAppBrowserHint },
  elsewhere: {
    props: { fetch: backend({ status: () => ({ status: 'verified', groupId: 'group-FAKE' }) }) },
    from: 'idle',
    until: [text.finishedElsewhereText, text.finishedElsewhereVerifiedText],
    foreign: true,
  },
  // The QR code after a refresh (expired unused) and after Start again: create answer → code painted.
  refreshed: {
    props: { fetch: backend({ create: (n) => ({ statusUrl: undefined, expiresAt: new Date(Date.now() + (n === 1 ? 700 : 120_000)).toISOString() }) }) },
    from: 'create-response-2',
    until: 'qr',
  },
  startAgain: {
    props: { fetch: backend({ status: () => ({ status: 'pending', openedAt: new Date().toISOString() }) }), pollIntervalMs: 200, transport: 'poll' },
    from: 'create-response-2',
    until: 'qr',
    startAgain: true,
  },
  // Their baseline: a bare QRCodeSVG from the same backend, its second create 700 ms after the first.
  baselineSecondCode: { baseline: true, from: 'create-response-2', until: 'qr' },
};

/** The baseline: QRCodeSVG straight from the backend's answer (no validation, no lifecycle), twice. */
function Baseline() {
  const [value, setValue] = useState(null);
  useEffect(() => {
    const fetch = backend({});
    const create = () =>
      fetch('/bench/sessions', { method: 'POST' })
        .then((response) => response.json())
        .then((body) => setValue(body.qrUrl ?? body.h5Link));
    create();
    const timer = setTimeout(create, 700);
    return () => clearTimeout(timer);
  }, []);
  return value ? (
    <div data-liveness-session="" data-state="ready" data-qr="drawn">
      <QRCodeSVG value={value} size={200} level="Q" marginSize={4} />
    </div>
  ) : (
    <p>Loading…</p>
  );
}
const spec = CASES[name];

// Every run is a first visit: nothing left by the previous page load of this tab.
sessionStorage.clear();
if (spec.resume) {
  sessionStorage.setItem('react-liveness-session:sess_back', JSON.stringify({ statusUrl: '/bench/s/sess_back', at: Date.now() }));
  history.replaceState(null, '', `${location.pathname}${location.search}&livenessSessionId=sess_back`);
}
if (spec.foreign) history.replaceState(null, '', `${location.pathname}${location.search}&livenessSessionId=sess_someone_else`);

const root = document.getElementById('root');
const done = () => {
  bench.text ??= at();
  // After the frame that shows it: rAF runs before that paint, a task queued from it after.
  requestAnimationFrame(() =>
    setTimeout(() => {
      bench.painted = at();
      bench.done = true;
    }, 0),
  );
};
const observer = new MutationObserver(() => {
  const element = root.querySelector('[data-liveness-session]');
  if (!element) return;
  const state = element.getAttribute('data-state');
  if (bench.from === null) {
    if (spec.from === state) bench.from = at();
    const created = spec.from.startsWith('create-response-') && performance.getEntriesByName(spec.from)[0];
    if (created) bench.from = created.startTime;
  }
  if (spec.startAgain && state === 'opened') element.querySelector('[data-slot="startAgain"]')?.click();
  if (bench.from === null || bench.text !== null) return;
  const shown = spec.until === 'qr' ? bench.creates >= 2 && element.getAttribute('data-qr') === 'drawn' : [spec.until].flat().some((until) => element.textContent.includes(until));
  if (shown) {
    observer.disconnect();
    done();
  }
});
observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });

if (spec.from === 'mount') bench.from = at();
createRoot(root).render(spec.baseline ? <Baseline /> : <LivenessSession endpoint="/bench/sessions" locale="en" mode="qr" {...spec.props} />);
window.benchReady = true;
