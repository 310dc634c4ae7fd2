import type { SessionData } from './parseOwnSession.js';
import type { SendLinkChannel } from './protocol.js';

/**
 * The channels a session's link can be sent by (`sendLink({ channel, to })`): those of the create
 * answer's `sendChannels` that this version knows, once each, in the backend's order; both when the
 * backend gave no list; none when it offers no `sendUrl`. The answer's list is checked here, not when
 * it is parsed: only a page that offers sending needs it (the component's send-link offer loads it
 * with itself), so a page that never does carries none of this.
 */
export function sendLinkChannels(session: SessionData): SendLinkChannel[] {
  const listed = session.sendChannels;
  if (!session.sendUrl) return [];
  if (!Array.isArray(listed)) return ['sms', 'email'];
  return [...new Set(listed.filter((channel): channel is SendLinkChannel => channel === 'sms' || channel === 'email'))];
}
