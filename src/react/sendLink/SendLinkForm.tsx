import { useEffect, useId, useRef, useState } from 'react';
import { isLivenessError, LivenessErrorCode } from '../../core/LivenessError.js';
import type { SendLinkChannel } from '../../core/wire/protocol.js';
import { isValidRecipient } from '../../core/wire/recipient.js';
import { sendLinkChannels } from '../../core/wire/sendLinkChannels.js';
import { slot } from '../slots.js';
import { maskRecipient, normalizeRecipient } from './recipientFormat.js';
import type { SendLinkFormProps } from './sendLinkProps.js';
import { sendLinkTextEn } from './sendLinkTextEn.js';

type Status = { kind: 'idle' | 'sending' } | { kind: 'sent' | 'error'; message: string; invalid?: boolean };

/** The person's words for a failed send: chosen by what happened, never the server's text. */
function failureText(error: unknown, channel: SendLinkChannel, text: SendLinkFormProps['displayText'] & typeof sendLinkTextEn): Status {
  const status = isLivenessError(error) ? error.status : undefined;
  const code = isLivenessError(error) ? (error.serverCode ?? error.code) : undefined;
  if (code === 'invalid_recipient') return { kind: 'error', message: channel === 'sms' ? text.sendLinkInvalidPhone : text.sendLinkInvalidEmail, invalid: true };
  if (status === 429) return { kind: 'error', message: text.sendLinkRateLimited };
  if (status === 409 || code === LivenessErrorCode.unavailable) return { kind: 'error', message: text.sendLinkUnavailable };
  if (code === LivenessErrorCode.network) return { kind: 'error', message: text.networkError };
  return { kind: 'error', message: text.sendLinkFailed };
}

/**
 * The form behind "Can't scan? Send the link to your phone": the channel (when the backend offers both),
 * one labelled field with the keyboard and autofill of its kind, and Send. The number or address is
 * checked here as the server will (a mistake costs no request), sent through the hook, and shown back
 * masked once the backend's sender took it; the QR code stays. Every outcome is announced through the
 * status line, a polite live region the field points to. Loaded only when a person opens it.
 */
export function SendLinkForm({ session, send, displayText, classNames, defaults }: SendLinkFormProps) {
  // The locale's own strings (and the app's overrides) win; the built-in English fills the rest.
  const text = { ...sendLinkTextEn, ...displayText };
  // Not empty: the offer shows only when there is a channel.
  const channels = sendLinkChannels(session);
  const guessed: SendLinkChannel | undefined = defaults?.channel ?? (defaults?.to ? (defaults.to.includes('@') ? 'email' : 'sms') : undefined);
  const [channel, setChannel] = useState<SendLinkChannel>(guessed && channels.includes(guessed) ? guessed : channels[0]!);
  const [value, setValue] = useState(defaults?.to && channel === guessed ? defaults.to : '');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const sms = channel === 'sms';
  useEffect(() => {
    // Opened by a click on a button that is now gone: the field takes the focus, so the keyboard stays here.
    input.current?.focus();
    // The hook's sendLink loads its request code on the first send: fetch it now, while the person types.
    import('../../core/lifecycle/sendLinkRequest.js').catch(() => undefined);
  }, []);

  const submit = () => {
    if (status.kind === 'sending') return;
    const to = normalizeRecipient(channel, value);
    if (!isValidRecipient(channel, to)) {
      setStatus({ kind: 'error', message: sms ? text.sendLinkInvalidPhone : text.sendLinkInvalidEmail, invalid: true });
      input.current?.focus();
      return;
    }
    setStatus({ kind: 'sending' });
    send({ channel, to }).then(
      () => setStatus({ kind: 'sent', message: text.sendLinkSentText.replace('{to}', maskRecipient(channel, to)) }),
      (error: unknown) => setStatus(failureText(error, channel, text)),
    );
  };

  return (
    <form
      {...slot('sendLink', classNames)}
      aria-label={text.sendLinkTitle}
      data-status={status.kind}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {channels.length > 1 ? (
        <fieldset {...slot('sendLinkChannel', classNames)}>
          <legend>{text.sendLinkChannelLegend}</legend>
          {channels.map((option) => (
            <label key={option}>
              <input
                type="radio"
                name={`${id}channel`}
                value={option}
                checked={channel === option}
                onChange={() => {
                  setChannel(option);
                  setValue('');
                  setStatus({ kind: 'idle' });
                }}
              />
              {option === 'sms' ? text.sendLinkSmsOption : text.sendLinkEmailOption}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label htmlFor={`${id}to`}>{sms ? text.sendLinkPhoneLabel : text.sendLinkEmailLabel}</label>
      <input
        {...slot('sendLinkInput', classNames)}
        ref={input}
        id={`${id}to`}
        name="to"
        type={sms ? 'tel' : 'email'}
        inputMode={sms ? 'tel' : 'email'}
        autoComplete={sms ? 'tel' : 'email'}
        autoCapitalize="off"
        spellCheck={false}
        required
        value={value}
        aria-invalid={status.kind === 'error' && status.invalid ? true : undefined}
        aria-describedby={`${id}status`}
        onChange={(event) => setValue(event.target.value)}
      />
      <button type="submit" {...slot('sendLinkSubmit', classNames)} aria-disabled={status.kind === 'sending' || undefined}>
        {status.kind === 'sending' ? text.sendLinkSending : text.sendLinkSubmit}
      </button>
      {/* Always in the DOM, so that screen readers hear what is put in it. */}
      <p {...slot('sendLinkStatus', classNames)} id={`${id}status`} role="status" aria-live="polite">
        {'message' in status ? status.message : ''}
      </p>
    </form>
  );
}
