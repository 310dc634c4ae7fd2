import type { LivenessState } from '../../core/lifecycle/livenessState.js';
import type { LivenessDisplayText } from '../text/displayText.js';
import { slot, type LivenessClassNames } from '../slots.js';
import { linkProps } from './views.js';

// A lazily loaded part (lazyParts.ts): the view once the person has the check, loaded once a code or
// link is shown (a phone or this tab opens it only after that), and at once in link mode, where a page
// reloaded after the person tapped the link opens on it.

type Opened = Extract<LivenessState, { status: 'opened' }>;

/**
 * Heading and text once the check is opened: a phone that scanned the code (`openedAt`), or a tab
 * opened here; opened in this tab, the page shows only when the person came back without finishing.
 */
export function openedText(state: Opened, target: '_blank' | '_self', text: LivenessDisplayText): [string, string] {
  const returned = !state.openedAt && target === '_self';
  return [state.openedAt ? text.openedTitle : returned ? text.openedReturnTitle : text.openedLinkTitle, state.checkingSince ? text.checkingText : returned ? text.openedReturnText : text.openedText];
}

export function OpenedView({
  state,
  target,
  displayText,
  classNames,
  onOpen,
  onStartAgain,
}: {
  state: Opened;
  target: '_blank' | '_self';
  displayText: LivenessDisplayText;
  classNames: LivenessClassNames | undefined;
  onOpen: () => void;
  onStartAgain: () => void;
}) {
  const [title, text] = openedText(state, target, displayText);
  const { openedAt: scanned, checkingSince: checking } = state;
  return (
    <>
      <p {...slot('title', classNames)}>{title}</p>
      {!scanned && target === '_self' && !checking ? null : <span {...slot('spinner', classNames)} aria-hidden="true" />}
      <p {...slot('instruction', classNames)}>{text}</p>
      {/* Opened on this device: the way back into the check (the tab may be gone, or the person came back). */}
      {scanned || checking ? null : (
        <a {...slot('primaryLink', classNames)} {...linkProps(state.session.h5Link, target, onOpen)}>
          {displayText.continueLinkButton}
        </a>
      )}
      {/* Once the phone reported a pass the result is fetched whatever happens here: the outcome comes next. */}
      {checking ? null : (
        <p {...slot('instruction', classNames)}>
          {scanned ? `${displayText.notYouText} ` : null}
          <button type="button" {...slot('startAgain', classNames)} onClick={onStartAgain}>
            {displayText.startAgainButton}
          </button>
        </p>
      )}
    </>
  );
}
