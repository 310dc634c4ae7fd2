import { useState } from 'react';
import { sendLinkChannels } from '../../core/wire/sendLinkChannels.js';
import { useLazyPart } from '../lazyPart.js';
import { slot } from '../slots.js';
import { sendLinkForm } from './sendLinkFormPart.js';
import type { SendLinkFormProps } from './sendLinkProps.js';

/**
 * "Can't scan? Send the link to your phone" under the QR code. A lazily loaded part itself (lazyParts.ts:
 * fetched once a code the backend can send is on screen and the page is idle; until then an empty
 * element in its slot holds its place), with its text in the later views' English. The form, its checks
 * and its English are a part of their own, fetched when the person opens it (most people scan, and never
 * download it). Until the form is in, the button stays where it is, busy, so nothing flashes empty; if
 * it cannot be fetched (offline), the button is simply there again.
 */
export default function SendLinkOffer(props: SendLinkFormProps) {
  const [open, setOpen] = useState(false);
  // Loaded by the click below (not by the hook), so that a failed fetch can give the button back.
  const Form = useLazyPart(sendLinkForm, open, false)?.SendLinkForm;
  // A backend that lists no channel this version knows offers nothing to send by.
  if (sendLinkChannels(props.session).length === 0) return null;
  return Form ? (
    <Form {...props} />
  ) : (
    <button
      type="button"
      {...slot('sendLinkOpen', props.classNames)}
      aria-busy={open || undefined}
      onClick={() => {
        setOpen(true);
        sendLinkForm.load().catch(() => setOpen(false));
      }}
    >
      {props.displayText.sendLinkButton}
    </button>
  );
}
