// Issue 24: which channels a session's link can be sent by. The create answer's `sendChannels` is kept
// as sent (parseSessionResponse); this check runs only where sending is offered (the component's offer
// and form, a headless page that calls it).
import { describe, expect, it } from 'vitest';
import { sendLinkChannels } from '../../src/core/wire/sendLinkChannels';
import type { SessionData } from '../../src/core/wire/parseSessionResponse';

const session = (extra: Partial<SessionData>): SessionData => ({ sessionId: 's', h5Link: 'https://h5.example.test/x', sendUrl: '/send', ...extra });

describe('sendLinkChannels', () => {
  it('keeps the channels it knows, once each, in the backend’s order', () => {
    expect(sendLinkChannels(session({ sendChannels: ['email', 'fax', 7, null, { channel: 'sms' }, 'sms', 'email'] }))).toEqual(['email', 'sms']);
    expect(sendLinkChannels(session({ sendChannels: ['sms'] }))).toEqual(['sms']);
  });

  it('none it knows, or an empty list: none (the component then offers nothing)', () => {
    expect(sendLinkChannels(session({ sendChannels: ['fax', 'SMS', ' email'] }))).toEqual([]);
    expect(sendLinkChannels(session({ sendChannels: [] }))).toEqual([]);
  });

  it('no list (or not a list): both, by the protocol', () => {
    expect(sendLinkChannels(session({}))).toEqual(['sms', 'email']);
    expect(sendLinkChannels(session({ sendChannels: 'sms' }))).toEqual(['sms', 'email']);
    expect(sendLinkChannels(session({ sendChannels: null }))).toEqual(['sms', 'email']);
  });

  it('no sendUrl: nothing to send by, whatever the list says', () => {
    expect(sendLinkChannels(session({ sendUrl: undefined, sendChannels: ['sms'] }))).toEqual([]);
  });
});
