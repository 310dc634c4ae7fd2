import type { ComponentType, ReactNode } from 'react';
import type { LivenessError } from '../../core/LivenessError.js';
import type { SessionData } from '../../core/wire/parseSessionResponse.js';
import type { FailureReason } from '../../core/wire/protocol.js';
import type { LivenessDisplayText, ResolvedDisplayText } from '../text/displayText.js';
import type { QrCodeImageProps } from './QrCodeImage.js';
import { qrErrorCorrection, type QrLevel } from './qrErrorCorrection.js';
import { slot, type LivenessClassNames } from '../slots.js';

/** Props of the loading view; pass your own through `components.Loading`. */
export interface LoadingViewProps {
  /**
   * The text of the chosen locale with the `displayText` overrides. With the built-in English, the
   * strings of the views shown later (errors, outcomes, consent…) load with those views, so only the
   * first views' strings (`title`, `creatingText`, …) are sure to be here.
   */
  displayText: ResolvedDisplayText;
  classNames?: LivenessClassNames;
}

/** Props of the error view; pass your own through `components.Error`. */
export interface ErrorViewProps {
  error: LivenessError;
  /** Creates exactly one new session. */
  onRetry: () => void;
  displayText: LivenessDisplayText;
  classNames?: LivenessClassNames;
}

/** QR code options. */
export interface LivenessQrOptions {
  /** Rendered size in CSS pixels. @default 200 */
  size?: number;
  /** Error-correction level. @default chosen by link length: Q up to 46 characters, M up to 62, L above (the fewest modules) */
  level?: QrLevel;
  /** Quiet zone in modules; scanners need about 4. @default 4 */
  marginSize?: number;
}

export const DEFAULT_QR_SIZE = 200;

export function DefaultLoadingView({ displayText, classNames }: LoadingViewProps) {
  return (
    <div {...slot('loading', classNames)}>
      <p {...slot('title', classNames)}>{displayText.title}</p>
      <span {...slot('spinner', classNames)} aria-hidden="true" />
      <p {...slot('instruction', classNames)}>{displayText.creatingText}</p>
    </div>
  );
}

/** Props of the views for final outcomes (`verified`, `failed`, `expired`). */
export interface ResultViewProps {
  status: 'verified' | 'failed' | 'expired';
  /** Why, when `failed`. */
  reason?: FailureReason;
  /** Creates a new session (failed, expired). */
  onRetry: () => void;
  displayText: LivenessDisplayText;
  classNames?: LivenessClassNames;
}

/**
 * The error view: heading, what went wrong, and the retry button. `message` comes from a lazily loaded
 * part (the error's sentence and its English); until it is there, or if it cannot load (the network is
 * down), the heading and the button are already here.
 */
export function DefaultErrorView({ onRetry, displayText, classNames, message }: Omit<ErrorViewProps, 'error' | 'displayText'> & { displayText: ResolvedDisplayText; message: string | undefined }) {
  return (
    <div {...slot('error', classNames)}>
      <p {...slot('title', classNames)}>{displayText.errorTitle}</p>
      {message === undefined ? null : <p {...slot('errorMessage', classNames)}>{message}</p>}
      <button type="button" {...slot('button', classNames)} onClick={onRetry}>
        {displayText.retryButton}
      </button>
    </div>
  );
}

interface ReadyViewProps {
  session: SessionData;
  displayText: ResolvedDisplayText;
  classNames: LivenessClassNames | undefined;
  linkTarget: '_blank' | '_self';
  /** The person tapped the link: the check is theirs now (`opened`). */
  onOpen: () => void;
}

/** The link opens outside this page: no opener, no referrer (the page URL must not reach the H5 host). */
export function linkProps(href: string, target: '_blank' | '_self', onClick: () => void) {
  return { href, target, rel: 'noopener noreferrer', referrerPolicy: 'no-referrer' as const, onClick };
}

export function QrView({
  session,
  displayText,
  classNames,
  linkTarget,
  qr,
  qrForeground,
  qrBackground,
  showOpenOnThisDevice,
  onOpen,
  QrCodeImage,
  children,
}: ReadyViewProps & {
  qr: LivenessQrOptions | undefined;
  qrForeground: string;
  qrBackground: string;
  showOpenOnThisDevice: boolean;
  /** The encoder, once its lazily loaded part is there; until then a placeholder holds the code's place. */
  QrCodeImage: ComponentType<QrCodeImageProps> | undefined;
  /** Under the code and its link (the send-link offer). */
  children?: ReactNode;
}) {
  const value = session.qrUrl ?? session.h5Link;
  const size = qr?.size ?? DEFAULT_QR_SIZE;
  return (
    <>
      <p {...slot('title', classNames)}>{displayText.title}</p>
      <p {...slot('instruction', classNames)}>{displayText.qrInstruction}</p>
      <div {...slot('qrCode', classNames)} role="img" aria-label={displayText.qrLabel}>
        {QrCodeImage ? (
          <QrCodeImage value={value} size={size} level={qr?.level ?? qrErrorCorrection(value)} marginSize={qr?.marginSize ?? 4} fgColor={qrForeground} bgColor={qrBackground} />
        ) : (
          // The code's exact footprint while the encoder loads: nothing moves when it is drawn.
          <span style={{ display: 'inline-block', width: size, height: size, background: qrBackground }} />
        )}
      </div>
      {showOpenOnThisDevice ? (
        <a {...slot('secondaryLink', classNames)} {...linkProps(session.h5Link, linkTarget, onOpen)}>
          {displayText.openOnThisDeviceLink}
        </a>
      ) : null}
      {children}
    </>
  );
}

export function LinkView({ session, displayText, classNames, linkTarget, onOpen }: ReadyViewProps) {
  return (
    <>
      <p {...slot('title', classNames)}>{displayText.title}</p>
      <p {...slot('instruction', classNames)}>{linkTarget === '_blank' ? displayText.linkInstructionNewTab : displayText.linkInstruction}</p>
      <a {...slot('primaryLink', classNames)} {...linkProps(session.h5Link, linkTarget, onOpen)}>
        {displayText.linkButton}
      </a>
    </>
  );
}
