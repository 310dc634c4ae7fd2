import { useState, type ComponentType } from 'react';
import { slot } from '../slots.js';
import type { SendLinkFormProps } from './sendLinkProps.js';

/**
 * "Can't scan? Send the link to your phone" under the QR code: a button at once; the form, its checks and
 * its English are a chunk of their own in an app's build, fetched when the person opens it (most people
 * scan, and never download it). Until the chunk is in, the button stays where it is, busy, so nothing
 * flashes empty; if it cannot be fetched (offline), the button is simply there again.
 */
export function SendLinkOffer(props: SendLinkFormProps) {
  // `undefined`: the button; `false`: the button while the form's chunk loads; then the form.
  const [Form, setForm] = useState<ComponentType<SendLinkFormProps> | false>();
  return Form ? (
    <Form {...props} />
  ) : (
    <button
      type="button"
      {...slot('sendLinkOpen', props.classNames)}
      aria-busy={Form === false || undefined}
      onClick={() => {
        setForm(false);
        import('./SendLinkForm.js').then(
          (module) => setForm(() => module.SendLinkForm),
          () => setForm(undefined),
        );
      }}
    >
      {props.displayText.sendLinkButton}
    </button>
  );
}
