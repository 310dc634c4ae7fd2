// Issue 24: "Can't scan? Send the link to your phone". Under the QR code, when the backend offers it
// (`sendUrl`), a button opens a small form (loaded when opened): the enabled channels, one labelled field
// with the keyboard and autofill of its kind, Send. What a person sees and hears: the number or address
// masked once sent, errors in words, every outcome in a live region; the QR code stays. The hook's
// `sendLink({ channel, to })` is what the form calls.
import { render, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { LivenessSession, type LivenessSessionProps } from '../../src/react/LivenessSession';
import { defaultDisplayTextEn } from '../../src/react/text/displayText';
import { sendLinkTextEn } from '../../src/react/sendLink/sendLinkTextEn';
import { useVisualValidateSession } from '../../src/react/useVisualValidateSession';
import { isLivenessError, type LivenessError } from '../../src/core/LivenessError';
import { zhCN, zhTW } from '../../src/locales';
import { createBackend, ENDPOINT, errorReply, newQueryClient, statusUrlOf, type BackendOptions } from './helpers';

const en = { ...defaultDisplayTextEn, ...sendLinkTextEn };
const OWNER_KEY = 'FAKE-owner-key-0000000';
const offered =
  (extra: Record<string, unknown> = {}): BackendOptions['session'] =>
  (n) => ({
    ownerKey: OWNER_KEY,
    sendUrl: `${statusUrlOf(`sess_${n}`)}/send`,
    sendChannels: ['sms', 'email'],
    ...extra,
  });

afterEach(() => {
  sessionStorage.clear();
});

function renderComponent(props: Partial<LivenessSessionProps> = {}, backend: BackendOptions = { session: offered() }) {
  const server = createBackend(backend);
  const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" {...props} />);
  const root = () => view.container.querySelector<HTMLElement>('[data-liveness-session]')!;
  const slot = (name: string) => view.container.querySelector<HTMLElement>(`[data-slot="${name}"]`);
  return { ...view, ...server, root, slot };
}

type Rendered = ReturnType<typeof renderComponent>;

async function ready(view: Rendered) {
  await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'ready'));
}

/** Opens the form the way a person does, and waits for its chunk. */
async function openForm(view: Rendered, user = userEvent.setup()) {
  await ready(view);
  await user.click(screen.getByRole('button', { name: en.sendLinkButton }));
  const form = await screen.findByRole('form', { name: en.sendLinkTitle });
  return { form, user };
}

async function axeViolations(container: Element) {
  // jsdom does no layout, so colour contrast is checked in the browser (stories, light and dark).
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  return results.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html) }));
}

describe('the offer under the QR code', () => {
  it('shows "Can’t scan? Send the link to your phone" when the backend offers sendUrl, the code still there', async () => {
    const view = renderComponent();
    await ready(view);
    const button = screen.getByRole('button', { name: en.sendLinkButton });
    expect(button).toHaveAttribute('data-slot', 'sendLinkOpen');
    expect(view.slot('qrCode')).not.toBeNull();
    // Nothing of the form until it is asked for.
    expect(view.slot('sendLink')).toBeNull();
  });

  it.each([
    ['the backend offers no sendUrl', {}, { session: () => ({ ownerKey: OWNER_KEY }) }],
    ['it offers no channel this version knows', {}, { session: offered({ sendChannels: ['fax'] }) }],
    ['sendLink={false}', { sendLink: false }, { session: offered() }],
    ['link mode (already on a phone)', { mode: 'link' as const }, { session: offered() }],
  ])('is not shown when %s', async (_name, props, backend) => {
    const view = renderComponent(props, backend);
    await ready(view);
    expect(view.slot('sendLinkOpen')).toBeNull();
    expect(screen.queryByRole('button', { name: en.sendLinkButton })).toBeNull();
  });

  it('is gone once a phone opened the code (opened), and after the outcome', async () => {
    const view = renderComponent(
      {},
      { session: offered(), status: [{ kind: 'json', status: 200, body: { status: 'pending', openedAt: '2026-01-01T00:00:01.000Z', expiresAt: '2030-01-01T00:00:00.000Z' } }] },
    );
    await waitFor(() => expect(view.root()).toHaveAttribute('data-state', 'opened'));
    expect(view.slot('sendLinkOpen')).toBeNull();
  });
});

describe('the form', () => {
  it('opens in place of the button with the focus in its field: a phone / e-mail choice, a labelled field with the phone keyboard and autofill', async () => {
    const view = renderComponent();
    const { form } = await openForm(view);
    expect(form).toHaveAttribute('data-slot', 'sendLink');
    expect(view.slot('sendLinkOpen')).toBeNull();
    const group = within(form).getByRole('group', { name: en.sendLinkChannelLegend });
    expect(within(group).getByRole('radio', { name: en.sendLinkSmsOption })).toBeChecked();
    expect(within(group).getByRole('radio', { name: en.sendLinkEmailOption })).not.toBeChecked();
    const input = within(form).getByLabelText(en.sendLinkPhoneLabel);
    expect(input).toHaveAttribute('data-slot', 'sendLinkInput');
    expect(input).toHaveAttribute('type', 'tel');
    expect(input).toHaveAttribute('autocomplete', 'tel');
    expect(input).toHaveAttribute('inputmode', 'tel');
    expect(input).toHaveFocus();
    expect(within(form).getByRole('button', { name: en.sendLinkSubmit })).toHaveAttribute('data-slot', 'sendLinkSubmit');
    // The status line is there from the start (a live region must exist before it speaks), and the field points to it.
    const status = view.slot('sendLinkStatus')!;
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(status).toHaveAttribute('role', 'status');
    expect(input.getAttribute('aria-describedby')).toBe(status.id);
    expect(view.slot('qrCode')).not.toBeNull();
  });

  it('switching to e-mail: the field becomes an e-mail field (keyboard, autofill, label)', async () => {
    const view = renderComponent();
    const { form, user } = await openForm(view);
    await user.click(within(form).getByRole('radio', { name: en.sendLinkEmailOption }));
    const input = within(form).getByLabelText(en.sendLinkEmailLabel);
    expect(input).toHaveAttribute('type', 'email');
    expect(input).toHaveAttribute('autocomplete', 'email');
    expect(input).toHaveAttribute('inputmode', 'email');
  });

  it('shows only the enabled channels: with SMS alone, no choice at all', async () => {
    const view = renderComponent({}, { session: offered({ sendChannels: ['sms'] }) });
    const { form } = await openForm(view);
    expect(within(form).queryByRole('radio')).toBeNull();
    expect(within(form).getByLabelText(en.sendLinkPhoneLabel)).toBeInTheDocument();
  });

  it('sends the number as E.164 with the owner key, then says where, masked, in the live region; the code stays', async () => {
    const view = renderComponent();
    const { form, user } = await openForm(view);
    await user.type(within(form).getByLabelText(en.sendLinkPhoneLabel), '+44 (7700) 900-123');
    await user.click(within(form).getByRole('button', { name: en.sendLinkSubmit }));
    const status = view.slot('sendLinkStatus')!;
    await waitFor(() => expect(status).toHaveTextContent('Sent to •••• 0123. Open it on your phone.'));
    expect(status).not.toHaveTextContent('7700');
    expect(view.sends()).toHaveLength(1);
    const [sent] = view.sends();
    expect(sent!.url).toBe(`${statusUrlOf('sess_1')}/send`);
    expect(sent!.body).toEqual({ channel: 'sms', to: '+447700900123' });
    expect(new Headers(sent!.init.headers).get('Liveness-Owner-Key')).toBe(OWNER_KEY);
    expect(new Headers(sent!.init.headers).get('Content-Type')).toBe('application/json');
    expect(form).toHaveAttribute('data-status', 'sent');
    expect(view.root()).toHaveAttribute('data-state', 'ready');
    expect(view.slot('qrCode')).not.toBeNull();
    expect(view.posts()).toHaveLength(1);
  });

  it('an e-mail address is masked to its first letter and its domain', async () => {
    const view = renderComponent();
    const { form, user } = await openForm(view);
    await user.click(within(form).getByRole('radio', { name: en.sendLinkEmailOption }));
    await user.type(within(form).getByLabelText(en.sendLinkEmailLabel), '  nora.person@example.test ');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(view.slot('sendLinkStatus')).toHaveTextContent('Sent to n•••@example.test. Open it on your phone.'));
    expect(view.sends()[0]!.body).toEqual({ channel: 'email', to: 'nora.person@example.test' });
  });

  it('full-width digits and a leading 00 (how many people type it) become E.164', async () => {
    const view = renderComponent();
    const { form, user } = await openForm(view);
    await user.type(within(form).getByLabelText(en.sendLinkPhoneLabel), '００８６ １３８ ００１３ ８０００');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(view.sends()).toHaveLength(1));
    expect(view.sends()[0]!.body).toEqual({ channel: 'sms', to: '+8613800138000' });
  });

  it('while sending, the button is busy and a second press sends nothing more', async () => {
    const view = renderComponent({}, { session: offered(), send: () => ({ kind: 'hang' }) });
    const { form, user } = await openForm(view);
    await user.type(within(form).getByLabelText(en.sendLinkPhoneLabel), '+447700900123');
    const submit = within(form).getByRole('button', { name: en.sendLinkSubmit });
    await user.click(submit);
    await waitFor(() => expect(submit).toHaveAttribute('aria-disabled', 'true'));
    expect(submit).toHaveTextContent(en.sendLinkSending);
    expect(form).toHaveAttribute('data-status', 'sending');
    await user.click(submit);
    await user.keyboard('{Enter}');
    expect(view.sends()).toHaveLength(1);
  });

  it.each([
    ['a number without its country code', 'sms', '07700 900123', en.sendLinkInvalidPhone],
    ['two numbers', 'sms', '+447700900123, +15551234567', en.sendLinkInvalidPhone],
    ['letters', 'sms', 'call me', en.sendLinkInvalidPhone],
    ['an address without a domain', 'email', 'nora@', en.sendLinkInvalidEmail],
    ['two addresses', 'email', 'a@example.test,b@example.test', en.sendLinkInvalidEmail],
    ['a display name', 'email', 'Nora <nora@example.test>', en.sendLinkInvalidEmail],
  ])('%s: said in words, the field marked invalid, nothing sent', async (_name, channel, typed, message) => {
    const view = renderComponent();
    const { form, user } = await openForm(view);
    if (channel === 'email') await user.click(within(form).getByRole('radio', { name: en.sendLinkEmailOption }));
    const input = within(form).getByLabelText(channel === 'sms' ? en.sendLinkPhoneLabel : en.sendLinkEmailLabel);
    await user.type(input, typed);
    await user.keyboard('{Enter}');
    expect(view.slot('sendLinkStatus')).toHaveTextContent(message);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveFocus();
    expect(view.sends()).toHaveLength(0);
    expect(form).toHaveAttribute('data-status', 'error');
  });

  it.each([
    ['the server finds the number invalid (400)', errorReply(400, 'invalid_recipient'), en.sendLinkInvalidPhone, true],
    ['too many sends (429)', errorReply(429, 'send_rate_limited', { 'Retry-After': '60' }), en.sendLinkRateLimited, false],
    ['a phone opened the link meanwhile (409)', errorReply(409, 'session_opened'), en.sendLinkUnavailable, false],
    ['the code ended (409)', errorReply(409, 'session_gone'), en.sendLinkUnavailable, false],
    ['the app’s sender failed (502)', errorReply(502, 'send_failed'), en.sendLinkFailed, false],
    ['any other answer (500)', errorReply(500, 'internal_error'), en.sendLinkFailed, false],
    ['no network', { kind: 'reject' as const }, en.networkError, false],
  ])('%s: said in words (never the server’s text)', async (_name, reply, message, invalid) => {
    const view = renderComponent({}, { session: offered(), send: () => reply });
    const { form, user } = await openForm(view);
    const input = within(form).getByLabelText(en.sendLinkPhoneLabel);
    await user.type(input, '+447700900123');
    await user.keyboard('{Enter}');
    const status = view.slot('sendLinkStatus')!;
    await waitFor(() => expect(status).toHaveTextContent(message));
    expect(status).not.toHaveTextContent('fake message');
    expect(input.getAttribute('aria-invalid')).toBe(invalid ? 'true' : null);
    // The button is usable again, and the code is still there to scan.
    expect(within(form).getByRole('button', { name: en.sendLinkSubmit })).not.toHaveAttribute('aria-disabled');
    expect(view.slot('qrCode')).not.toBeNull();
  });

  it('starts with sendLinkDefaults: the number from the profile, or the channel and address', async () => {
    const phone = renderComponent({ sendLinkDefaults: { to: '+447700900123' } });
    const first = await openForm(phone);
    expect(within(first.form).getByLabelText(en.sendLinkPhoneLabel)).toHaveValue('+447700900123');
    phone.unmount();
    const mail = renderComponent({ sendLinkDefaults: { to: 'nora@example.test' } });
    const second = await openForm(mail);
    expect(within(second.form).getByRole('radio', { name: en.sendLinkEmailOption })).toBeChecked();
    expect(within(second.form).getByLabelText(en.sendLinkEmailLabel)).toHaveValue('nora@example.test');
    mail.unmount();
    const chosen = renderComponent({ sendLinkDefaults: { channel: 'email' } });
    const third = await openForm(chosen);
    expect(within(third.form).getByLabelText(en.sendLinkEmailLabel)).toHaveValue('');
  });

  it('speaks the locale: zh-CN and zh-TW carry the form’s strings; displayText overrides any of them', async () => {
    for (const locale of [zhCN, zhTW]) {
      const view = renderComponent({ locale });
      await ready(view);
      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: locale.displayText.sendLinkButton }));
      const form = await screen.findByRole('form', { name: locale.displayText.sendLinkTitle });
      expect(within(form).getByLabelText(locale.displayText.sendLinkPhoneLabel)).toBeInTheDocument();
      expect(within(form).getByRole('button', { name: locale.displayText.sendLinkSubmit })).toBeInTheDocument();
      view.unmount();
    }
    const view = renderComponent({ displayText: { sendLinkButton: 'Text me the link', sendLinkSubmit: 'Text it' } });
    await ready(view);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Text me the link' }));
    const form = await screen.findByRole('form', { name: en.sendLinkTitle });
    expect(within(form).getByRole('button', { name: 'Text it' })).toBeInTheDocument();
  });

  it('a new code (the old one ran out) closes the form: what was sent belongs to the old code', async () => {
    const soon = () => new Date(Date.now() + 1_500).toISOString();
    const view = renderComponent({}, { session: (n) => ({ ...offered()!(n), expiresAt: n === 1 ? soon() : '2030-01-01T00:00:00.000Z' }) });
    const { form, user } = await openForm(view);
    await user.type(within(form).getByLabelText(en.sendLinkPhoneLabel), '+447700900123');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(view.slot('sendLinkStatus')).toHaveTextContent('Sent to'));
    await waitFor(() => expect(view.posts()).toHaveLength(2), { timeout: 5_000 });
    await ready(view);
    expect(view.slot('sendLink')).toBeNull();
    expect(screen.getByRole('button', { name: en.sendLinkButton })).toBeInTheDocument();
  });

  it('has no axe violations, light and dark: the button, the open form, and its error', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const view = renderComponent({ colorScheme });
      await ready(view);
      expect(await axeViolations(view.container)).toEqual([]);
      const { form, user } = await openForm(view);
      expect(await axeViolations(view.container)).toEqual([]);
      await user.type(within(form).getByLabelText(en.sendLinkPhoneLabel), 'nope');
      await user.keyboard('{Enter}');
      expect(await axeViolations(view.container)).toEqual([]);
      view.unmount();
    }
  });
});

describe('the hook’s sendLink({ channel, to })', () => {
  function renderSession(backend: BackendOptions) {
    const server = createBackend(backend);
    const hook = renderHook(() => useVisualValidateSession({ endpoint: ENDPOINT, fetch: server.fetch }, newQueryClient()));
    return { ...server, hook };
  }

  it('posts { channel, to } to sendUrl with the owner key, resolves when the backend took it; never retried', async () => {
    const server = renderSession({ session: offered() });
    await waitFor(() => expect(server.hook.result.current.status).toBe('ready'));
    await expect(server.hook.result.current.sendLink({ channel: 'email', to: 'nora@example.test' })).resolves.toBeUndefined();
    expect(server.sends()).toHaveLength(1);
    expect(server.sends()[0]!.body).toEqual({ channel: 'email', to: 'nora@example.test' });
    expect(new Headers(server.sends()[0]!.init.headers).get('Liveness-Owner-Key')).toBe(OWNER_KEY);
  });

  it('resolves a relative sendUrl against the endpoint, not the page, as create does for statusUrl; an absolute one is kept', async () => {
    const relative = renderSession({ session: offered({ sendUrl: '/api/liveness/sessions/s1/send' }) });
    await waitFor(() => expect(relative.hook.result.current.status).toBe('ready'));
    await relative.hook.result.current.sendLink({ channel: 'sms', to: '+447700900123' });
    expect(relative.sends().map((call) => call.url)).toEqual(['https://app.example.test/api/liveness/sessions/s1/send']);

    const absolute = renderSession({ session: offered({ sendUrl: 'https://send.example.test/s1/send' }) });
    await waitFor(() => expect(absolute.hook.result.current.status).toBe('ready'));
    await absolute.hook.result.current.sendLink({ channel: 'sms', to: '+447700900123' });
    expect(absolute.sends().map((call) => call.url)).toEqual(['https://send.example.test/s1/send']);
  });

  it('rejects with the server’s code (http, serverCode, retryAfterMs) and does not retry', async () => {
    const server = renderSession({ session: offered(), send: () => errorReply(429, 'send_rate_limited', { 'Retry-After': '30' }) });
    await waitFor(() => expect(server.hook.result.current.status).toBe('ready'));
    const error = (await server.hook.result.current.sendLink({ channel: 'sms', to: '+447700900123' }).catch((caught: unknown) => caught)) as LivenessError;
    expect(isLivenessError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'http', status: 429, serverCode: 'send_rate_limited', retryAfterMs: 30_000 });
    expect(server.sends()).toHaveLength(1);
  });

  it('rejects at once with code unavailable, without a request, when the backend offers no sendUrl or nothing waits for a phone', async () => {
    const plain = renderSession({ session: () => ({ ownerKey: OWNER_KEY }) });
    await waitFor(() => expect(plain.hook.result.current.status).toBe('ready'));
    await expect(plain.hook.result.current.sendLink({ channel: 'sms', to: '+447700900123' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(plain.sends()).toHaveLength(0);

    const creating = renderSession({ session: () => ({ kind: 'hang' }) });
    expect(creating.hook.result.current.status).toBe('creating');
    await expect(creating.hook.result.current.sendLink({ channel: 'sms', to: '+447700900123' })).rejects.toMatchObject({ code: 'unavailable' });
    expect(creating.sends()).toHaveLength(0);
  });
});
