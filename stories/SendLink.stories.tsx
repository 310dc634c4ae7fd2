import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import type { HttpHandler } from 'msw';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { LivenessSession } from '../src/index.js';
import { en, zhCN } from '../src/locales.js';
import { readySession, SESSION_ENDPOINT, sendLinkRoute, type StorySend } from './mockBackend.js';
import { expectColorScheme, settles, STATE_TIMEOUT_MS } from './play.js';

/*
 * Issue 24: "Can't scan? Send the link to your phone", a story per state of the form: offered (the
 * button), open (the phone / e-mail choice, the field), a single channel, sending, sent (masked), the
 * number refused before any request, and each answer the backend may give (too many, already opened,
 * the sender failed). The backend is msw, the library's own protocol; every play function opens the form
 * the way a person does (it is a lazily loaded chunk), and axe checks each, light and dark.
 */

const text = en.displayText;
const SEND_BASE = '/api/liveness/sessions';
const NUMBER = '+44 7700 900123';

type Context = Pick<StoryContext, 'canvasElement' | 'args' | 'globals'>;

/** The code is shown, in the story's colour scheme. */
async function ready(context: Context) {
  const root = await settles(context.canvasElement, 'ready', 'qr');
  await expectColorScheme(root, context);
  return root;
}

/** The offer's button: a lazily loaded part, drawn a commit or more after the code it belongs to. */
function offerButton(root: HTMLElement, name = text.sendLinkButton) {
  return waitFor(() => within(root).getByRole('button', { name }), { timeout: STATE_TIMEOUT_MS });
}

/** Opens the form as a person does; it is a chunk of its own, so it follows the click by a module load. */
async function openForm(root: HTMLElement, button = text.sendLinkButton, name = text.sendLinkTitle) {
  await userEvent.click(await offerButton(root, button));
  return waitFor(() => within(root).getByRole('form', { name }), { timeout: STATE_TIMEOUT_MS });
}

/** Types a number (as people write it) and sends it. */
async function sendNumber(form: HTMLElement, typed = NUMBER) {
  await userEvent.type(within(form).getByLabelText(text.sendLinkPhoneLabel), typed);
  await userEvent.click(within(form).getByRole('button', { name: text.sendLinkSubmit }));
}

/** Waits until the form's live status line says `message`. */
async function says(root: HTMLElement, message: string) {
  const status = root.querySelector<HTMLElement>('[data-slot="sendLinkStatus"]');
  await expect(status, 'the status line').not.toBeNull();
  await waitFor(() => expect(status).toHaveTextContent(message), { timeout: STATE_TIMEOUT_MS });
  await expect(status).toHaveAttribute('aria-live', 'polite');
  return status!;
}

/** A backend that offers sending (`sendUrl`) and answers sends with `answer`. */
function offering(answer: StorySend = { kind: 'sent' }, sendChannels?: string[]) {
  const route = sendLinkRoute(SEND_BASE, answer);
  return {
    route,
    beforeEach: ({ msw }: { msw: { use: (...handlers: HttpHandler[]) => void } }) => {
      msw.use(readySession(SESSION_ENDPOINT, { sendBase: SEND_BASE, ...(sendChannels ? { sendChannels } : {}) }), route.handler);
    },
  };
}

const meta = {
  title: 'Components/LivenessSession/Send the link',
  component: LivenessSession,
  args: { endpoint: SESSION_ENDPOINT, locale: 'en', mode: 'qr' },
  argTypes: {
    locale: { control: 'inline-radio', options: ['en', 'zh-CN'], mapping: { en, 'zh-CN': zhCN } },
    colorScheme: { control: 'inline-radio', options: ['light', 'dark', 'system'] },
    fetch: { table: { disable: true } },
    queryClient: { table: { disable: true } },
    components: { table: { disable: true } },
  },
  decorators: [
    (Story) => (
      <div style={{ width: 'min(360px, calc(100vw - 32px))' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof LivenessSession>;

export default meta;
type Story = StoryObj<typeof meta>;

const offered = offering();
/** The backend offers sending the link: under the code, a quiet button; nothing of the form loads until it is pressed. */
export const Offered: Story = {
  beforeEach: offered.beforeEach,
  async play(context) {
    const root = await ready(context);
    const button = await offerButton(root);
    await expect(button).toHaveAttribute('data-slot', 'sendLinkOpen');
    await expect(root.querySelector('[data-slot="sendLink"]'), 'the form before it is asked for').toBeNull();
  },
};

const open = offering();
/** Open: a phone / e-mail choice, one labelled field with the phone keyboard and autofill, Send. */
export const FormOpen: Story = {
  beforeEach: open.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await expect(form).toHaveAttribute('data-slot', 'sendLink');
    await expect(within(form).getByRole('radio', { name: text.sendLinkSmsOption })).toBeChecked();
    const input = within(form).getByLabelText(text.sendLinkPhoneLabel);
    await expect(input).toHaveAttribute('autocomplete', 'tel');
    await expect(input).toHaveAttribute('inputmode', 'tel');
    await waitFor(() => expect(input).toHaveFocus());
    await expect(root.querySelector('[data-slot="qrCode"]'), 'the code, still there').not.toBeNull();
  },
};

const email = offering();
/** E-mail chosen: the field asks for an address, with the e-mail keyboard and autofill. */
export const FormEmail: Story = {
  beforeEach: email.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await userEvent.click(within(form).getByRole('radio', { name: text.sendLinkEmailOption }));
    const input = within(form).getByLabelText(text.sendLinkEmailLabel);
    await expect(input).toHaveAttribute('type', 'email');
    await expect(input).toHaveAttribute('autocomplete', 'email');
  },
};

const smsOnly = offering({ kind: 'sent' }, ['sms']);
/** The backend offers SMS alone (`sendLinkChannels: ['sms']`): no choice, just the number. */
export const SmsOnly: Story = {
  beforeEach: smsOnly.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await expect(within(form).queryByRole('radio')).toBeNull();
    await expect(within(form).getByLabelText(text.sendLinkPhoneLabel)).toBeVisible();
  },
};

const sending = offering({ kind: 'never' });
/** Sending: the backend's sender has not answered yet; the button says so and takes no second press. */
export const Sending: Story = {
  beforeEach: sending.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await sendNumber(form);
    // The request reaches the backend a little after the press (its code is a chunk of its own, loaded
    // then): waited for, not assumed (a story run once saw 0 here).
    await waitFor(() => expect(sending.route.sent.length, 'sends').toBe(1), { timeout: STATE_TIMEOUT_MS });
    const submit = within(form).getByRole('button', { name: text.sendLinkSending });
    await expect(submit).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(submit);
    // A second send would be on its way as soon as the first was (its code is loaded now): a moment, then count.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(sending.route.sent.length, 'sends').toBe(1);
  },
};

const sent = offering();
/** Sent: "Sent to •••• 0123. Open it on your phone.", announced; the number left the page in E.164, with the owner key. */
export const Sent: Story = {
  beforeEach: sent.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await sendNumber(form);
    const status = await says(root, 'Sent to •••• 0123. Open it on your phone.');
    await expect(status).not.toHaveTextContent('7700');
    await expect(sent.route.sent.at(-1)).toEqual({ body: { channel: 'sms', to: '+447700900123' }, ownerKey: 'FAKE-owner-key-story00' });
    await expect(root.querySelector('[data-slot="qrCode"]'), 'the code, still there').not.toBeNull();
  },
};

const invalid = offering();
/** A number without its country code: said in words, the field marked invalid, nothing sent. */
export const InvalidNumber: Story = {
  beforeEach: invalid.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root);
    await sendNumber(form, '07700 900123');
    await says(root, text.sendLinkInvalidPhone);
    await expect(within(form).getByLabelText(text.sendLinkPhoneLabel)).toHaveAttribute('aria-invalid', 'true');
    await expect(invalid.route.sent.length, 'sends').toBe(0);
  },
};

const tooMany = offering({ kind: 'error', status: 429, code: 'send_rate_limited', headers: { 'Retry-After': '60' } });
/** HTTP 429 `send_rate_limited`: sent as often as it may be; the person is pointed back to the code. */
export const TooManySends: Story = {
  beforeEach: tooMany.beforeEach,
  async play(context) {
    const root = await ready(context);
    await sendNumber(await openForm(root));
    await says(root, text.sendLinkRateLimited);
  },
};

const opened = offering({ kind: 'error', status: 409, code: 'session_opened' });
/** HTTP 409 `session_opened`: a phone opened the link meanwhile, so it is not sent again. */
export const AlreadyOpened: Story = {
  beforeEach: opened.beforeEach,
  async play(context) {
    const root = await ready(context);
    await sendNumber(await openForm(root));
    await says(root, text.sendLinkUnavailable);
  },
};

const failed = offering({ kind: 'error', status: 502, code: 'send_failed' });
/** HTTP 502 `send_failed`: the app's sender failed; the server's words are never shown, ours are. */
export const SendFailed: Story = {
  beforeEach: failed.beforeEach,
  async play(context) {
    const root = await ready(context);
    await sendNumber(await openForm(root));
    const status = await says(root, text.sendLinkFailed);
    await expect(status).not.toHaveTextContent('Story: HTTP');
  },
};

const chinese = offering();
/** Simplified Chinese: the button and the form in the locale's words. */
export const ZhCN: Story = {
  args: { locale: zhCN },
  beforeEach: chinese.beforeEach,
  async play(context) {
    const root = await ready(context);
    const form = await openForm(root, zhCN.displayText.sendLinkButton, zhCN.displayText.sendLinkTitle);
    await expect(within(form).getByLabelText(zhCN.displayText.sendLinkPhoneLabel)).toBeVisible();
    await expect(within(form).getByRole('button', { name: zhCN.displayText.sendLinkSubmit })).toBeVisible();
  },
};
