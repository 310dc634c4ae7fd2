import type { FailureReason } from '../../core/wire/protocol.js';
import type { LivenessDisplayText } from '../text/displayText.js';
import { slot } from '../slots.js';
import type { ResultViewProps } from './views.js';

// A lazily loaded part (lazyParts.ts): the views of the outcomes, loaded while a request whose answer
// may be one is in flight.

/** Heading and text of an outcome; a failure's follow its reason (`unknown`: the generic pair). */
export function resultText(status: ResultViewProps['status'], reason: FailureReason | undefined, text: LivenessDisplayText): [string, string] {
  // `failedDeviceTitle`, `failedLivenessText`, …: the status, then the reason capitalised.
  const key = status === 'failed' && reason && reason !== 'unknown' ? `failed${reason[0]!.toUpperCase()}${reason.slice(1)}` : status;
  return [text[`${key}Title` as 'failedTitle'], text[`${key}Text` as 'failedText']];
}

/** The verified, failed (with the advice for its reason) and expired views. */
export function DefaultResultView({ status, reason, onRetry, displayText, classNames }: ResultViewProps) {
  const [title, text] = resultText(status, reason, displayText);
  return (
    <div {...slot('result', classNames)}>
      <span data-slot="resultIcon" data-status={status} aria-hidden="true" />
      <p {...slot('title', classNames)}>{title}</p>
      <p {...slot('instruction', classNames)}>{text}</p>
      {status === 'verified' ? null : (
        <button type="button" {...slot('button', classNames)} onClick={onRetry}>
          {status === 'expired' ? displayText.newCodeButton : displayText.retryButton}
        </button>
      )}
    </div>
  );
}
