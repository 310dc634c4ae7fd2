import type { QueryClient } from '@tanstack/react-query';
import { forwardRef, useEffect, useId, useLayoutEffect, useState, type ComponentType, type CSSProperties, type HTMLAttributes } from 'react';
import { resumeParam } from '../core/lifecycle/resumeStore.js';
import { whenIdle } from '../core/whenIdle.js';
import { detectMobile } from './detectMobile.js';
import { preload, useLazyPart } from './lazyPart.js';
import { consentView, countdown, errorMessage, laterText, openedView, outcomeView, qrCodeImage, sendLinkOffer } from './lazyParts.js';
import { localeCode, resolveDisplayText, type LivenessDisplayText, type LivenessLocaleData, type LivenessSendLinkText } from './text/displayText.js';
import { slot, type LivenessClassNames } from './slots.js';
import type { LivenessSendLinkDefaults } from './sendLink/sendLinkProps.js';
import { scopedStyleSheet, themeToCssVariables, type LivenessTheme } from './themeToCssVariables.js';
import { useDisplayMode, type LivenessMode } from './useDisplayMode.js';
import { useInAppBrowser } from './useInAppBrowser.js';
import { useVisualValidateSession, type UseVisualValidateSessionOptions } from './useVisualValidateSession.js';
import { VISUALLY_HIDDEN } from './views/visuallyHidden.js';
import { DEFAULT_QR_SIZE, DefaultErrorView, DefaultLoadingView, LinkView, QrView, type ErrorViewProps, type LivenessQrOptions, type LoadingViewProps, type ResultViewProps } from './views/views.js';

// Layout effects do nothing on a server (React 18 warns about them there): an effect instead.
const useClientLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/** A create request still in flight after this long may be failing (it is being retried): its error view loads. */
const SLOW_CREATE_MS = 300;

/** Replace the built-in loading or error view with your own. */
export interface LivenessComponents {
  Loading?: ComponentType<LoadingViewProps>;
  Error?: ComponentType<ErrorViewProps>;
  /** The verified, failed and expired views. */
  Result?: ComponentType<ResultViewProps>;
}

export interface LivenessSessionProps extends Omit<UseVisualValidateSessionOptions, 'locale'>, Omit<HTMLAttributes<HTMLDivElement>, 'onError' | 'children'> {
  /**
   * The language of the text, of the root's `lang` and of the H5 page. English is built in; import
   * others from `react-liveness-session/locales`, so the app ships only the languages it uses:
   * `import { zhCN } from 'react-liveness-session/locales'`, then `locale={zhCN}`.
   * Without it the text is English (`lang="en"`) and the H5 page opens in the browser's preferred
   * language among English, Simplified and Traditional Chinese (`navigator.languages`, read when the
   * session is created; English when it prefers none of them).
   * @default English text; the H5 page in the browser's preferred language
   */
  locale?: 'en' | LivenessLocaleData;
  /**
   * `qr` shows a QR code to scan with a phone; `link` a button that opens the check on this device;
   * `auto` picks `link` on phones and tablets and `qr` elsewhere, after mount.
   * @default 'auto'
   */
  mode?: LivenessMode | 'auto';
  /** QR code size, level and quiet zone. */
  qr?: LivenessQrOptions;
  /** Under the QR code, a small link that opens the check in this browser. @default true */
  showOpenOnThisDevice?: boolean;
  /** Show how long the code stays valid, when the backend sent `expiresAt`. @default false */
  showCountdown?: boolean;
  /**
   * Where the link to the check opens. On phones (link mode) `_self`: the person stays in one tab, and
   * the server sends that tab back to this page when the check is done (the create request names it;
   * the server's allowlist decides), where the component picks the session up and shows the outcome;
   * Back from an unfinished check, or a reload, brings the same session back with "Continue the check".
   * Under the QR code (desktop) `_blank`, which keeps this page alive to show the result.
   * @default '_self' in link mode, '_blank' in QR mode
   */
  linkTarget?: '_blank' | '_self';
  /** Colours, radius and font, set as `--liveness-*` CSS variables on the root. */
  theme?: LivenessTheme;
  /**
   * The nonce of your page's Content-Security-Policy (`style-src 'nonce-…'`). With it, the few styles
   * the component sets itself (the `theme` variables, the hidden live region, the placeholder's size)
   * go into one `<style nonce>` scoped to the root instead of `style` attributes, which a strict
   * `style-src` drops from server-rendered HTML (and hydration never puts back). Not needed when the
   * component renders only in the browser: styles set there are allowed by any policy. See
   * https://github.com/react-liveness-session/react-liveness-session/blob/main/docs/component.md#content-security-policy
   * @default undefined (`style` attributes)
   */
  nonce?: string;
  /** `system` follows `prefers-color-scheme`. @default 'light' */
  colorScheme?: 'light' | 'dark' | 'system';
  /** A class per part (`root`, `title`, `qrCode`, `primaryLink`, `button`, …). */
  classNames?: LivenessClassNames;
  /** Drop the default look (`styles.css` rules stop matching); structure and data attributes stay. @default false */
  unstyled?: boolean;
  /** Your own loading and error views. */
  components?: LivenessComponents;
  /** Override any string of the chosen `locale`, the send-link form's included. */
  displayText?: Partial<LivenessDisplayText & LivenessSendLinkText>;
  /**
   * Under the QR code, "Can't scan? Send the link to your phone" (`sendLinkButton`), when the backend
   * offers it (its create answer has `sendUrl`: the server's `sendLink` option): a small form sends the
   * code's link to the person's phone by SMS or e-mail, through the app's own sender. Loaded when the
   * person opens it; never shown in link mode (already on a phone). `false` hides it.
   * @default true (shown when the backend offers it)
   */
  sendLink?: boolean;
  /** What the send-link form starts with, such as the number from the person's profile: `{ channel, to }`. */
  sendLinkDefaults?: LivenessSendLinkDefaults;
  /** The react-query client to use instead of the provider's (or a private one). */
  queryClient?: QueryClient;
  /**
   * Ask for consent first: the component explains the face check (run and processed by BytePlus for
   * this app), links to the app's `policyUrl` (new tab) and waits for the person to accept
   * (`data-slot="consentAccept"`). Until then no session is created and nothing is sent. Asked once per
   * mount: `retry()`, new codes and a same-tab round trip's result do not ask again. Texts: `title`,
   * `consentText`, `consentPolicyLink`, `consentAcceptButton`.
   * @default no consent step
   */
  consent?: LivenessConsent;
  /** The person accepted the consent step (`at`: ISO 8601, this browser's clock): record it with your policy's version. */
  onConsent?: (consent: { at: string }) => void;
}

/** The consent step's settings; see {@link LivenessSessionProps.consent}. */
export interface LivenessConsent {
  /** The app's privacy policy: how it and BytePlus process the face data. */
  policyUrl: string;
}

/**
 * Runs one liveness verification: creates a session through `endpoint`, then shows a QR code
 * (desktop) or a tap-through link (mobile). The root carries `data-liveness-session`,
 * `data-state`, once decided `data-mode`, and while a code is shown `data-qr`: `pending` while the
 * lazily loaded encoder loads, `drawn` once the code is in the DOM (what tests should wait for).
 *
 * @example
 * <LivenessSession endpoint="/api/liveness/sessions" onSessionCreated={(s) => track(s.sessionId)} />
 */
export const LivenessSession = /* @__PURE__ */ forwardRef<HTMLDivElement, LivenessSessionProps>(function LivenessSession(props, ref) {
  const {
    // Session options (go to the hook).
    endpoint,
    fetch,
    locale,
    returnUrl,
    timeoutMs,
    allowedHosts,
    maxLinkLength,
    retry: retryCount,
    enabled,
    sessionKey,
    statusEndpoint,
    pollIntervalMs,
    transport,
    maxAutoRefresh,
    resume,
    onVerified,
    onFailed,
    onExpired,
    onSessionCreated,
    onError,
    onStateChange,
    queryClient,
    consent,
    onConsent,
    // Presentation.
    mode = 'auto',
    qr,
    showOpenOnThisDevice = true,
    showCountdown = false,
    linkTarget,
    theme,
    nonce,
    colorScheme = 'light',
    className,
    classNames,
    style,
    unstyled = false,
    components,
    displayText: displayTextOverrides,
    sendLink = true,
    sendLinkDefaults,
    ...rest
  } = props;

  // Consent comes before any session: until it is given the hook stays idle (a resume still runs: the
  // person consented before the round trip that brought them back).
  const [consented, setConsented] = useState(false);
  // Names the root for the nonce'd stylesheet; the same on the server and in the browser.
  const scope = useId();
  const asking = consent && !consented;
  const resolvedMode = useDisplayMode(mode);
  const mobile = typeof document === 'undefined' ? undefined : detectMobile();
  // `auto` is decided after mount; until then the browser guesses the mode it will pick.
  const browserMode = mobile === undefined ? undefined : (resolvedMode ?? (mobile ? 'link' : 'qr'));
  // The encoder is fetched as soon as the component knows it will show a code: right after the first
  // client render is committed, before the browser paints it (a layout effect; passive effects, which
  // send the create request, wait for that paint), so the code paints with the answer even from a fast
  // backend. Never on the server, never on phones.
  useClientLayoutEffect(() => {
    if (browserMode === 'qr') preload(qrCodeImage);
  }, [browserMode]);
  const target = linkTarget ?? (resolvedMode === 'link' ? '_self' : '_blank');
  // The props are the hook's options (extra keys are ignored there). In link mode the page is hidden
  // while the person is on the check, so an event stream would only be closed again: it polls. The
  // device goes with the create request: the server's pages then speak to it (rule 10).
  const options = { ...props, device: props.device ?? (mobile === undefined ? undefined : mobile ? ('mobile' as const) : ('desktop' as const)) };
  if (asking) options.enabled = false;
  const session = useVisualValidateSession(browserMode === 'link' ? { ...options, transport: 'poll' } : options, queryClient);
  const { state } = session;
  const status = state.status;
  const showsQr = status === 'ready' && resolvedMode === 'qr';
  const showsLink = status === 'ready' && resolvedMode === 'link';
  const showsOutcome = status === 'verified' || status === 'failed' || status === 'expired';
  const showsCountdown = showCountdown && status === 'ready' && !!state.session.expiresAt && resolvedMode !== undefined;
  const showsNote = status === 'idle' && session.finishedElsewhere;
  // Can't scan? The backend may send the code's link to the person's phone (a lazily loaded offer).
  // (The offer itself checks `sendChannels`, and hides when the backend lists no channel it knows.)
  const offersSendLink = showsQr && sendLink && !!state.session.sendUrl;

  // The lazily loaded parts (lazyParts.ts): each is the module once it has loaded and its view is on
  // screen, else `undefined`.
  const QrCodeImage = useLazyPart(qrCodeImage, showsQr)?.default;
  // In-app browsers (WeChat and the like) often cannot use the camera: phones in link mode check.
  const inApp = useInAppBrowser(browserMode === 'link', showsLink);
  const Opened = useLazyPart(openedView, status === 'opened');
  const Outcome = useLazyPart(outcomeView, showsOutcome);
  const messageOf = useLazyPart(errorMessage, status === 'error')?.errorMessage;
  const Consent = useLazyPart(consentView, !!asking)?.ConsentView;
  const Countdown = useLazyPart(countdown, showsCountdown, showCountdown)?.Countdown;
  // Shown under the code as the countdown is: loaded with the state that shows it (its placeholder first).
  const Offer = useLazyPart(sendLinkOffer, offersSendLink)?.default;
  // Built-in English is complete once `laterText` is: the views that need more than the first views'
  // strings wait for it.
  const english = typeof locale !== 'object';
  const showsLater = english && (status === 'opened' || showsOutcome || status === 'error' || !!asking || showsCountdown || inApp || showsNote || offersSendLink);
  const laterEn = useLazyPart(laterText, showsLater)?.laterTextEn;
  const text = resolveDisplayText(locale, displayTextOverrides, laterEn);
  const full = typeof locale === 'object' || laterEn ? (text as LivenessDisplayText) : undefined;
  // Parts are loaded as soon as the state makes their view likely, so that it shows in the commit of
  // the state that needs it, but never alongside the first code: nothing competes with the create
  // request and the encoder. Once a code or link is shown (and the page is idle), a phone may open it
  // and status requests are in flight: their answer is `opened`, an outcome or (a session picked up)
  // an error. A create still in flight after 300 ms may be failing (it is retried): the error view
  // loads then. A page whose URL names a session (back from the check in this tab) gets its outcome
  // with the first status answer: it loads at once. Effects, never render; loading costs no render.
  const showing = status === 'ready' || status === 'opened';
  useEffect(() => {
    const englishText = english ? [laterText] : [];
    if (showCountdown) preload(...englishText);
    // A phone reloaded after the person tapped the link in this tab opens on `opened`.
    if (browserMode === 'link') preload(openedView, ...englishText);
    // Idle after the frame that paints the code or link (requestAnimationFrame runs before that paint, a
    // task it queues after it): Chromium may call an idle callback first, and these chunks then delayed it.
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (showing) frame = requestAnimationFrame(() => (timer = setTimeout(() => void whenIdle().then(() => preload(openedView, errorMessage, outcomeView, ...englishText)))));
    else if (status === 'creating') {
      if (resumeParam()) preload(outcomeView, ...englishText);
      timer = setTimeout(() => preload(errorMessage, ...englishText), SLOW_CREATE_MS);
    }
    // Nothing is left behind by an effect that is gone (a state that changed, an unmount).
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [english, showing, status, showCountdown, browserMode]);

  // `data-qr`: a code shown while the encoder still loads is `pending`; the render after it has loaded
  // draws the code and says `drawn` in the same commit (tests wait for that, not for `ready`).
  const qrState = showsQr ? (QrCodeImage ? 'drawn' : 'pending') : undefined;
  const qrSize = qr?.size ?? DEFAULT_QR_SIZE;
  const Loading = components?.Loading ?? DefaultLoadingView;
  // Until a view's part is there: a placeholder (the live region says nothing yet).
  const placeholder = <div {...slot('placeholder', classNames)} />;

  let body;
  // What the live region says: the state's own sentence, the same as on screen.
  let announcement = '';
  if (status === 'idle') {
    const accept = () => {
      setConsented(true);
      onConsent?.({ at: new Date().toISOString() });
      session.start();
    };
    body = (
      <>
        {session.finishedElsewhere && full ? (
          <p {...slot('instruction', classNames)}>
            {session.elsewhereOutcome === 'verified' ? full.finishedElsewhereVerifiedText : session.elsewhereOutcome === 'failed' ? full.finishedElsewhereFailedText : full.finishedElsewhereText}
          </p>
        ) : null}
        {asking ? (
          <>
            <p {...slot('title', classNames)}>{text.title}</p>
            {Consent && full ? <Consent displayText={full} classNames={classNames} policyUrl={consent.policyUrl} onAccept={accept} /> : placeholder}
          </>
        ) : (
          <button type="button" {...slot('button', classNames)} onClick={session.start}>
            {text.startButton}
          </button>
        )}
      </>
    );
  } else if (status === 'opened') {
    if (Opened && full) announcement = Opened.openedText(state, target, full).join('. ');
    body = Opened && full ? <Opened.OpenedView state={state} target={target} displayText={full} classNames={classNames} onOpen={session.markOpened} onStartAgain={session.retry} /> : placeholder;
  } else if (status === 'creating' && session.autoRefreshCount > 0 && resolvedMode === 'qr') {
    announcement = text.creatingText;
    // An expired code is being replaced: keep the code's footprint so nothing below it jumps.
    body = (
      <>
        <p {...slot('title', classNames)}>{text.title}</p>
        <p {...slot('instruction', classNames)}>{text.refreshingText}</p>
        <div {...slot('placeholder', classNames)} style={{ width: qrSize, height: qrSize }} />
      </>
    );
  } else if (status === 'creating') {
    announcement = text.creatingText;
    body = <Loading displayText={text} {...(classNames ? { classNames } : {})} />;
  } else if (status === 'verified' || status === 'failed' || status === 'expired') {
    const ResultView = components?.Result ?? Outcome?.DefaultResultView;
    const reason = status === 'failed' ? state.reason : undefined;
    if (Outcome && full) announcement = Outcome.resultText(status, reason, full).join('. ');
    body = ResultView && full ? <ResultView status={status} {...(reason ? { reason } : {})} onRetry={session.retry} displayText={full} {...(classNames ? { classNames } : {})} /> : placeholder;
  } else if (status === 'error') {
    const message = messageOf && full ? messageOf(state.error, full) : undefined;
    announcement = message ?? '';
    // A custom view gets every string; until they are there (or if they cannot load: offline), the
    // built-in view's heading and retry button.
    body =
      components?.Error && full ? (
        <components.Error error={state.error} onRetry={session.retry} displayText={full} {...(classNames ? { classNames } : {})} />
      ) : (
        <DefaultErrorView onRetry={session.retry} displayText={text} classNames={classNames} message={message} />
      );
  } else if (resolvedMode === undefined) {
    // Before mount the device is unknown: hold the space so nothing jumps when the mode is decided.
    body = <div {...slot('placeholder', classNames)} style={nonce === undefined ? { minHeight: qrSize } : undefined} />;
  } else if (resolvedMode === 'qr') {
    announcement = text.readyAnnouncement;
    body = (
      <QrView
        session={state.session}
        displayText={text}
        classNames={classNames}
        linkTarget={target}
        qr={qr}
        qrForeground={theme?.qrForeground ?? '#000000'}
        qrBackground={theme?.qrBackground ?? '#ffffff'}
        showOpenOnThisDevice={showOpenOnThisDevice}
        onOpen={session.markOpened}
        QrCodeImage={QrCodeImage}
      >
        {/* Until the offer and its text are there, an empty element in its slot holds its place. */}
        {offersSendLink ? (
          Offer && full ? (
            <Offer session={state.session} send={session.sendLink} displayText={full} classNames={classNames} defaults={sendLinkDefaults} />
          ) : (
            <div {...slot('sendLinkOpen', classNames)} />
          )
        ) : null}
      </QrView>
    );
  } else {
    announcement = text.readyAnnouncement;
    body = (
      <>
        <LinkView session={state.session} displayText={text} classNames={classNames} linkTarget={target} onOpen={session.markOpened} />
        {inApp && full ? <p {...slot('hint', classNames)}>{full.inAppBrowserHint}</p> : null}
      </>
    );
  }
  const countdownLine =
    showsCountdown && Countdown && full ? <Countdown expiresAt={state.session.expiresAt!} offsetMs={session.serverTimeOffsetMs} displayText={full} classNames={classNames} /> : null;

  const rootClass = [classNames?.root, className].filter(Boolean).join(' ') || undefined;
  const variables = themeToCssVariables(theme);
  // Under a nonce the component's own styles live in the scoped sheet; the app's `style` stays its own.
  const rootStyle: CSSProperties | undefined = nonce === undefined ? { ...variables, ...style } : style;

  return (
    <div
      {...rest}
      ref={ref}
      data-liveness-session=""
      data-state={status}
      data-reason={status === 'failed' ? state.reason : undefined}
      data-mode={resolvedMode}
      data-qr={qrState}
      data-color-scheme={colorScheme}
      data-unstyled={unstyled ? '' : undefined}
      aria-busy={status === 'creating' ? true : undefined}
      lang={rest.lang ?? localeCode(locale) ?? 'en'}
      className={rootClass}
      style={rootStyle}
      data-liveness-scope={nonce === undefined ? undefined : scope}
    >
      {nonce === undefined ? null : <style nonce={nonce}>{scopedStyleSheet(scope, variables, qrSize)}</style>}
      {body}
      {countdownLine}
      {/* Hidden inline (or, with `nonce`, by the scoped sheet), not in styles.css: it must stay hidden when the app ships no stylesheet. */}
      <p {...slot('liveRegion', classNames)} role="status" aria-live="polite" aria-atomic="true" style={nonce === undefined ? VISUALLY_HIDDEN : undefined}>
        {announcement}
      </p>
    </div>
  );
});
