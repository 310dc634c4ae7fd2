import type { SessionData } from '../../core/wire/parseSessionResponse.js';
import type { SendLinkChannel, SendLinkRequest } from '../../core/wire/protocol.js';
import type { LivenessDisplayText, LivenessSendLinkText } from '../displayText.js';
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
  displayText: LivenessDisplayText & Partial<LivenessSendLinkText>;
  classNames: LivenessClassNames | undefined;
  defaults: LivenessSendLinkDefaults | undefined;
}
