import type { LivenessDisplayText } from '../text/displayText.js';
import { slot, type LivenessClassNames } from '../slots.js';

// A lazily loaded part (lazyParts.ts): the consent step, loaded only by a component given `consent`.

/** What the check is and who runs it, the app's policy (new tab), and the button that accepts. */
export function ConsentView({
  displayText,
  classNames,
  policyUrl,
  onAccept,
}: {
  displayText: LivenessDisplayText;
  classNames: LivenessClassNames | undefined;
  policyUrl: string;
  onAccept: () => void;
}) {
  return (
    <>
      <p {...slot('instruction', classNames)}>{displayText.consentText}</p>
      <a {...slot('policyLink', classNames)} href={policyUrl} target="_blank" rel="noopener noreferrer">
        {displayText.consentPolicyLink}
      </a>
      <button type="button" {...slot('consentAccept', classNames)} onClick={onAccept}>
        {displayText.consentAcceptButton}
      </button>
    </>
  );
}
