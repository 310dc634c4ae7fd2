import type { LivenessSendLinkText } from '../text/displayText.js';

/**
 * The send-link form's English. A module of its own, imported by the form (a lazily loaded chunk) and by
 * the `en` locale data, never by the component up front: a page whose visitors scan the code never
 * downloads it.
 */
export const sendLinkTextEn: LivenessSendLinkText = {
  sendLinkTitle: 'Send the link to your phone',
  sendLinkChannelLegend: 'Send it by',
  sendLinkSmsOption: 'Text message',
  sendLinkEmailOption: 'E-mail',
  sendLinkPhoneLabel: 'Your mobile number, with the country code',
  sendLinkEmailLabel: 'Your e-mail address',
  sendLinkSubmit: 'Send link',
  sendLinkSending: 'Sending…',
  sendLinkSentText: 'Sent to {to}. Open it on your phone.',
  sendLinkInvalidPhone: 'Enter your mobile number with its country code, such as +44 7700 900123.',
  sendLinkInvalidEmail: 'Enter one e-mail address, such as name@example.com.',
  sendLinkRateLimited: 'The link can’t be sent again right now. Scan the code instead, or try again later.',
  sendLinkUnavailable: 'The link can no longer be sent: it was opened on a phone, or this code has ended.',
  sendLinkFailed: 'We couldn’t send the link. Check the number or address and try again, or scan the code.',
};
