import type { QueryClient } from '@tanstack/react-query';
import type { FailureReason } from '../core/wire/protocol.js';
import { forwardRef, useEffect, useId, useState, type ComponentType, type CSSProperties, type HTMLAttributes } from 'react';
import { Countdown, VISUALLY_HIDDEN } from './Countdown.js';
import { detectInAppBrowser, detectMobile } from './detectMobile.js';
import { localeCode, resolveDisplayText, type LivenessDisplayText, type LivenessLocaleData, type LivenessSendLinkText } from './displayText.js';
import { errorMessage } from './errorMessage.js';
import { slot, type LivenessClassNames } from './slots.js';
import { SendLinkOffer } from './sendLink/SendLinkOffer.js';
import type { LivenessSendLinkDefaults } from './sendLink/sendLinkProps.js';
import { scopedStyleSheet, themeToCssVariables, type LivenessTheme } from './themeToCssVariables.js';
import { useDisplayMode, type LivenessMode } from './useDisplayMode.js';
import { useVisualValidateSession, type LivenessState, type UseVisualValidateSessionOptions } from './useVisualValidateSession.js';
import {
  linkProps,
  DEFAULT_QR_SIZE,
  DefaultErrorView,
  DefaultLoadingView,
  DefaultResultView,
  LinkView,
  preloadQrCode,
  qrCodeLoaded,
  QrView,
  resultText,
  type ErrorViewProps,
  type LivenessQrOptions,
  type LoadingViewProps,
  type ResultViewProps,
} from './views.js';

/** Replace the built-in loading or error view with your own. */
export interface LivenessComponents {
  Loading?: ComponentType<LoadingViewProps>;
  Error?: ComponentType<ErrorViewProps>;
  /** The verified, failed and expired views. */
  Result?: ComponentType<ResultViewProps>;
}

export interface LivenessSessionProps
  extends Omit<UseVisualValidateSessionOptions, 'locale'>,
    Omit<HTMLAttributes<HTMLDivElement>, 'onError' | 'children'> {
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

// The live region is hidden inline (or, with `nonce`, by the scoped sheet), not in styles.css: it must
// stay hidden when the app ships no stylesheet.
function announcement(state: LivenessState, text: LivenessDisplayText, opened: [string, string]): string {
  switch (state.status) {
    case 'creating':
      return text.creatingText;
    case 'ready':
      return text.readyAnnouncement;
    case 'opened':
      return opened.join('. ');
    case 'error':
      return errorMessage(state.error, text);
    case 'verified':
    case 'failed':
    case 'expired':
      return resultText(state.status, (state as { reason?: FailureReason }).reason, text).join('. ');
    default:
      return '';
  }
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
  const target = linkTarget ?? (resolvedMode === 'link' ? '_self' : '_blank');
  // The props are the hook's options (extra keys are ignored there). In link mode the page is hidden
  // while the person is on the check, so an event stream would only be closed again: it polls. The
  // device goes with the create request: the server's pages then speak to it (rule 10).
  const options = { ...props, device: props.device ?? (mobile === undefined ? undefined : mobile ? ('mobile' as const) : ('desktop' as const)) };
  if (asking) options.enabled = false;
  const session = useVisualValidateSession(browserMode === 'link' ? { ...options, transport: 'poll' } : options, queryClient);
  // Fetch the encoder in the first client render, before the create request leaves (in the effects):
  // the code then paints with the answer, even from a fast backend. Idempotent, like react-dom's
  // preload(); never on the server, never on phones.
  if (browserMode === 'qr') void preloadQrCode().catch(() => undefined);
  const [inAppBrowser, setInAppBrowser] = useState(false);
  useEffect(() => setInAppBrowser(detectInAppBrowser()), []);
  // `data-qr`: a code shown while the encoder still loads is `pending`; once it has loaded, a render
  // draws the code and says `drawn` in the same commit (tests wait for that, not for `ready`).
  const showsQr = session.state.status === 'ready' && resolvedMode === 'qr';
  const qrState = showsQr ? (qrCodeLoaded() ? 'drawn' : 'pending') : undefined;
  const [, setQrLoaded] = useState(false);
  useEffect(() => {
    if (qrState !== 'pending') return;
    let mounted = true;
    preloadQrCode().then(
      () => mounted && setQrLoaded(true),
      () => undefined,
    );
    return () => {
      mounted = false;
    };
  }, [qrState]);
  const text = resolveDisplayText(locale, displayTextOverrides);
  const { state } = session;

  const Loading = components?.Loading ?? DefaultLoadingView;
  const ErrorView = components?.Error ?? DefaultErrorView;
  const ResultView = components?.Result ?? DefaultResultView;
  const qrSize = qr?.size ?? DEFAULT_QR_SIZE;

  // A phone that scanned the code (`openedAt`), or a tab opened here, has the check: title and text, also
  // announced. Opened in this tab, the page shows only when the person came back without finishing.
  const scanned = state.status === 'opened' && state.openedAt;
  const checking = state.status === 'opened' && state.checkingSince;
  const returned = !scanned && target === '_self';
  const opened: [string, string] = [
    scanned ? text.openedTitle : returned ? text.openedReturnTitle : text.openedLinkTitle,
    checking ? text.checkingText : returned ? text.openedReturnText : text.openedText,
  ];

  let body;
  if (state.status === 'idle') {
    body = (
      <>
        {session.finishedElsewhere ? (
          <p {...slot('instruction', classNames)}>
            {session.elsewhereOutcome === 'verified'
              ? text.finishedElsewhereVerifiedText
              : session.elsewhereOutcome === 'failed'
                ? text.finishedElsewhereFailedText
                : text.finishedElsewhereText}
          </p>
        ) : null}
        {asking ? (
          <>
            <p {...slot('title', classNames)}>{text.title}</p>
            <p {...slot('instruction', classNames)}>{text.consentText}</p>
            <a {...slot('policyLink', classNames)} href={consent.policyUrl} target="_blank" rel="noopener noreferrer">
              {text.consentPolicyLink}
            </a>
          </>
        ) : null}
        <button
          type="button"
          {...slot(asking ? 'consentAccept' : 'button', classNames)}
          onClick={() => {
            if (asking) {
              setConsented(true);
              onConsent?.({ at: new Date().toISOString() });
            }
            session.start();
          }}
        >
          {asking ? text.consentAcceptButton : text.startButton}
        </button>
      </>
    );
  } else if (state.status === 'opened') {
    body = (
      <>
        <p {...slot('title', classNames)}>{opened[0]}</p>
        {returned && !checking ? null : <span {...slot('spinner', classNames)} aria-hidden="true" />}
        <p {...slot('instruction', classNames)}>{opened[1]}</p>
        {/* Opened on this device: the way back into the check (the tab may be gone, or the person came back). */}
        {scanned || checking ? null : (
          <a {...slot('primaryLink', classNames)} {...linkProps(state.session.h5Link, target, session.markOpened)}>
            {text.continueLinkButton}
          </a>
        )}
        {/* Once the phone reported a pass the result is fetched whatever happens here: the outcome comes next. */}
        {checking ? null : (
          <p {...slot('instruction', classNames)}>
            {scanned ? `${text.notYouText} ` : null}
            <button type="button" {...slot('startAgain', classNames)} onClick={session.retry}>
              {text.startAgainButton}
            </button>
          </p>
        )}
      </>
    );
  } else if (state.status === 'creating' && session.autoRefreshCount > 0 && resolvedMode === 'qr') {
    // An expired code is being replaced: keep the code's footprint so nothing below it jumps.
    body = (
      <>
        <p {...slot('title', classNames)}>{text.title}</p>
        <p {...slot('instruction', classNames)}>{text.refreshingText}</p>
        <div {...slot('placeholder', classNames)} style={{ width: qrSize, height: qrSize }} />
      </>
    );
  } else if (state.status === 'creating') {
    body = <Loading displayText={text} {...(classNames ? { classNames } : {})} />;
  } else if (state.status === 'verified' || state.status === 'failed' || state.status === 'expired') {
    body = (
      <ResultView
        status={state.status}
        {...(state.status === 'failed' ? { reason: state.reason } : {})}
        onRetry={session.retry}
        displayText={text}
        {...(classNames ? { classNames } : {})}
      />
    );
  } else if (state.status === 'error') {
    body = <ErrorView error={state.error} onRetry={session.retry} displayText={text} {...(classNames ? { classNames } : {})} />;
  } else if (resolvedMode === undefined) {
    // Before mount the device is unknown: hold the space so nothing jumps when the mode is decided.
    body = <div {...slot('placeholder', classNames)} style={nonce === undefined ? { minHeight: qrSize } : undefined} />;
  } else if (resolvedMode === 'qr') {
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
      />
    );
    // Can't scan? The backend may send the code's link to the person's phone (a lazily loaded form).
    if (sendLink && state.session.sendUrl && state.session.sendChannels?.length !== 0) {
      body = (
        <>
          {body}
          <SendLinkOffer session={state.session} send={session.sendLink} displayText={text} classNames={classNames} defaults={sendLinkDefaults} />
        </>
      );
    }
  } else {
    body = (
      <>
        <LinkView session={state.session} displayText={text} classNames={classNames} linkTarget={target} onOpen={session.markOpened} />
        {inAppBrowser ? <p {...slot('hint', classNames)}>{text.inAppBrowserHint}</p> : null}
      </>
    );
  }
  const countdown =
    showCountdown && state.status === 'ready' && state.session.expiresAt && resolvedMode !== undefined ? (
      <Countdown expiresAt={state.session.expiresAt} offsetMs={session.serverTimeOffsetMs} displayText={text} classNames={classNames} />
    ) : null;

  const rootClass = [classNames?.root, className].filter(Boolean).join(' ') || undefined;
  const variables = themeToCssVariables(theme);
  // Under a nonce the component's own styles live in the scoped sheet; the app's `style` stays its own.
  const rootStyle: CSSProperties | undefined = nonce === undefined ? { ...variables, ...style } : style;

  return (
    <div
      {...rest}
      ref={ref}
      data-liveness-session=""
      data-state={state.status}
      data-reason={state.status === 'failed' ? state.reason : undefined}
      data-mode={resolvedMode}
      data-qr={qrState}
      data-color-scheme={colorScheme}
      data-unstyled={unstyled ? '' : undefined}
      aria-busy={state.status === 'creating' ? true : undefined}
      lang={rest.lang ?? localeCode(locale) ?? 'en'}
      className={rootClass}
      style={rootStyle}
      data-liveness-scope={nonce === undefined ? undefined : scope}
    >
      {nonce === undefined ? null : <style nonce={nonce}>{scopedStyleSheet(scope, variables, qrSize)}</style>}
      {body}
      {countdown}
      <p {...slot('liveRegion', classNames)} role="status" aria-live="polite" aria-atomic="true" style={nonce === undefined ? VISUALLY_HIDDEN : undefined}>
        {announcement(state, text, opened)}
      </p>
    </div>
  );
});
