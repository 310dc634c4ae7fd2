import { lazy, Suspense, useState } from 'react';
import { LivenessSession, type LivenessState } from '../src/index.js';
import { assetsEn, assetsZhCN, assetsZhTW, en, zhCN, zhTW } from '../src/locales.js';

// The reference-asset panel, loaded once a person is verified (react-liveness-session/assets is an
// entry of its own: a page that only verifies never downloads it).
const LivenessAssets = lazy(() => import('../src/assets.js').then((module) => ({ default: module.LivenessAssets })));

// An app imports only the locales it uses; the demo offers all three, and `browser`: no `locale` prop
// at all, as an app that names none (English text; the H5 page in the browser's preferred language).
const LOCALES = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, browser: undefined };
const ASSET_LOCALES = { en: assetsEn, 'zh-CN': assetsZhCN, 'zh-TW': assetsZhTW, browser: undefined };
type DemoLocale = keyof typeof LOCALES;
// `/?locale=browser` (or another key) picks the language at load (the end-to-end tests use it).
const requestedLocale = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('locale');
const initialLocale: DemoLocale = requestedLocale !== null && requestedLocale in LOCALES ? (requestedLocale as DemoLocale) : 'en';
// `/?transport=poll` polls instead of listening to the event stream (the tests and benchmarks compare both).
const TRANSPORT = typeof location !== 'undefined' && new URLSearchParams(location.search).get('transport') === 'poll' ? 'poll' : 'auto';

// `?linkTarget=_blank` (or `_self`) overrides the component's default, which on phones is `_self`.
const LINK_TARGET = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('linkTarget');

// `?consent` starts with the consent step ticked (the end-to-end tests use it); off by default, so the
// plain demo (and every other test) starts a session at once, as before.
const askConsentAtFirst = typeof location !== 'undefined' && new URLSearchParams(location.search).has('consent');

/** The demo page: the component, its state as it changes, and the final result. */
export function App() {
  const [locale, setLocale] = useState<DemoLocale>(initialLocale);
  const [dark, setDark] = useState(false);
  const [state, setState] = useState<LivenessState>({ status: 'idle' });
  const [run, setRun] = useState(0);
  const [askConsent, setAskConsent] = useState(askConsentAtFirst);
  const [consentedAt, setConsentedAt] = useState<string>();
  // The assets the upstream accepted, as a Seedance 2.0 request references them.
  const [activeAssets, setActiveAssets] = useState<string[]>([]);

  return (
    <main>
      <h1>react-liveness-session demo</h1>
      <div className="demo-controls">
        <label>
          Language{' '}
          <select value={locale} onChange={(event) => setLocale(event.target.value as DemoLocale)}>
            {(Object.keys(LOCALES) as DemoLocale[]).map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={dark} onChange={(event) => setDark(event.target.checked)} /> Dark
        </label>
        <label>
          <input type="checkbox" checked={askConsent} onChange={(event) => setAskConsent(event.target.checked)} /> Ask for consent
        </label>
        <button type="button" onClick={() => setRun(run + 1)}>
          New session
        </button>
      </div>
      <LivenessSession
        key={`${locale}-${run}-${askConsent}`}
        endpoint="/api/liveness/sessions"
        {...(LOCALES[locale] ? { locale: LOCALES[locale] } : {})}
        colorScheme={dark ? 'dark' : 'light'}
        transport={TRANSPORT}
        {...(LINK_TARGET === '_blank' || LINK_TARGET === '_self' ? { linkTarget: LINK_TARGET } : {})}
        onStateChange={setState}
        {...(askConsent ? { consent: { policyUrl: '/privacy.html' }, onConsent: ({ at }: { at: string }) => setConsentedAt(at) } : {})}
      />
      <p className="demo-note">
        Links sent with “Can’t scan?” land in the <a href="/demo/outbox">demo outbox</a> (a real app sends them by SMS or e-mail).
      </p>
      {state.status === 'verified' ? (
        // After verification: the person's reference photos, into their own asset group (the server
        // finds the group by the signed-in subject; the browser never names it).
        <Suspense fallback={null}>
          <LivenessAssets
            key={`${locale}-${run}`}
            endpoint="/api/liveness/assets"
            {...(ASSET_LOCALES[locale] ? { locale: ASSET_LOCALES[locale] } : {})}
            colorScheme={dark ? 'dark' : 'light'}
            onAssetActive={({ assetId }) => setActiveAssets((ids) => [...ids, assetId])}
          />
        </Suspense>
      ) : null}
      <dl className="demo-status" data-testid="demo-status">
        <dt>state</dt>
        <dd data-testid="demo-state">{state.status}</dd>
        {'session' in state && state.session ? (
          <>
            <dt>session id</dt>
            <dd data-testid="demo-session-id">{state.session.sessionId}</dd>
          </>
        ) : null}
        {'groupId' in state ? (
          <>
            <dt>group id</dt>
            <dd data-testid="demo-group-id">{String(state.groupId)}</dd>
          </>
        ) : null}
        {'resultCode' in state && state.resultCode ? (
          <>
            <dt>result code</dt>
            <dd>{String(state.resultCode)}</dd>
          </>
        ) : null}
        {state.status === 'failed' ? (
          <>
            <dt>reason</dt>
            <dd data-testid="demo-reason">{state.reason}</dd>
          </>
        ) : null}
        {state.status === 'opened' ? (
          <>
            <dt>opened</dt>
            <dd>{state.openedAt ? `by a phone at ${state.openedAt}` : 'on this device'}</dd>
            {state.checkingSince ? (
              <>
                <dt>confirming since</dt>
                <dd>{state.checkingSince}</dd>
              </>
            ) : null}
          </>
        ) : null}
        {consentedAt ? (
          <>
            <dt>consent</dt>
            <dd data-testid="demo-consent">{consentedAt}</dd>
          </>
        ) : null}
        {state.status === 'error' ? (
          <>
            <dt>error</dt>
            <dd>{state.error.code}</dd>
          </>
        ) : null}
        {activeAssets.length > 0 ? (
          <>
            <dt>reference assets (use in Seedance 2.0)</dt>
            {activeAssets.map((assetId) => (
              <dd key={assetId} data-testid="demo-asset">{`asset://${assetId}`}</dd>
            ))}
          </>
        ) : null}
      </dl>
    </main>
  );
}
