import type { SessionData } from '../../core/wire/parseSessionResponse.js';
import type { SendLinkChannel, SendLinkRequest } from '../../core/wire/protocol.js';
import type { LivenessDisplayText, LivenessSendLinkText } from '../text/displayText.js';
import type { LivenessClassNames } from '../slots.js';

/** What the send-link form starts with, such as the number from the person's profile. */
export interface LivenessSendLinkDefaults {
  /** The channel chosen at first, when the backend offers it. @default the one `to` looks like, else the backend's first */
  channel?: SendLinkChannel;
  /** The number (E.164, or as people write it) or address filled in at first. */
  to?: string;
}

/** What the offer and the form (each a lazily loaded part) are given by the component. */
export interface SendLinkFormProps {
  /** The session on screen: its `sendUrl` and `sendChannels`. */
  session: SessionData;
  /** The hook's `sendLink`. */
  send: (request: SendLinkRequest) => Promise<void>;
  /** The component's complete text (the offer waits for it), the form's own when overridden or from locale data. */
  displayText: LivenessDisplayText & Partial<LivenessSendLinkText>;
  classNames: LivenessClassNames | undefined;
  defaults: LivenessSendLinkDefaults | undefined;
}
