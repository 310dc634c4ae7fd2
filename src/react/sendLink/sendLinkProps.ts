import type { SessionData } from '../../core/wire/parseSessionResponse.js';
import type { SendLinkChannel, SendLinkRequest } from '../../core/wire/protocol.js';
import type { ResolvedDisplayText } from '../text/displayText.js';
import type { LivenessClassNames } from '../slots.js';

/** What the send-link form starts with, such as the number from the person's profile. */
export interface LivenessSendLinkDefaults {
  /** The channel chosen at first, when the backend offers it. @default the one `to` looks like, else the backend's first */
  channel?: SendLinkChannel;
  /** The number (E.164, or as people write it) or address filled in at first. */
  to?: string;
}

/** What the offer (up front) and the form (loaded when opened) are given by the component. */
export interface SendLinkFormProps {
  /** The session on screen: its `sendChannels`. */
  session: SessionData;
  /** The hook's `sendLink`. */
  send: (request: SendLinkRequest) => Promise<void>;
  /** The component's text: the first views' keys at least (the rest once loaded), the form's when overridden or from locale data. */
  displayText: ResolvedDisplayText;
  classNames: LivenessClassNames | undefined;
  defaults: LivenessSendLinkDefaults | undefined;
}
