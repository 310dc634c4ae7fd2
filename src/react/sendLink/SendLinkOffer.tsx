import { useState } from 'react';
import { useLazyPart } from '../lazyPart.js';
import { laterText, sendLinkForm } from '../lazyParts.js';
import { slot } from '../slots.js';
import type { SendLinkFormProps } from './sendLinkProps.js';

/**
 * "Can't scan? Send the link to your phone" under the QR code: a button at once; the form, its checks and
 * its English are a lazily loaded part (lazyParts.ts), fetched when the person opens it (most people
 * scan, and never download it). Until the part is in, the button stays where it is, busy, so nothing
 * flashes empty; if it cannot be fetched (offline), the button is simply there again.
 */
export function SendLinkOffer(props: SendLinkFormProps) {
  const [open, setOpen] = useState(false);
  // Loaded by the click below (not by the hook), so that a failed fetch can give the button back.
  const Form = useLazyPart(sendLinkForm, open, false)?.SendLinkForm;
  // The form says a network error in the error view's words: with the built-in English, those load with
  // the later views' English (a part of its own), fetched along with the form.
  const laterEn = useLazyPart(laterText, open && props.displayText.networkError === undefined)?.laterTextEn;
  return Form ? (
    <Form {...props} displayText={laterEn ? { ...laterEn, ...props.displayText } : props.displayText} />
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
