import type { Meta, StoryContext, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { LivenessAssets, defaultAssetsDisplayTextEn as text } from '../src/assets.js';
import { assetsEn, assetsZhCN, assetsZhTW } from '../src/locales.js';
import * as files from '../test/media/mediaFiles.js';
import { acceptsUploads, ASSETS_ENDPOINT, assetStatus, uploadFails, uploadNetworkError, uploadNeverAnswers } from './assetsBackend.js';
import { FakeUserAgent } from './FakeUserAgent.js';
import { expectColorScheme, STATE_TIMEOUT_MS } from './play.js';

type Context = Pick<StoryContext, 'canvasElement' | 'args' | 'globals'>;

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const file = (bytes: Uint8Array, name: string, type: string) => new File([bytes as BlobPart], name, { type });
/** A 600 × 800 photo (a valid PNG). */
const photo = () => file(files.samplePhoto(), 'portrait.png', 'image/png');

function rootOf(container: HTMLElement): HTMLElement {
  const root = container.querySelector<HTMLElement>('[data-liveness-assets]');
  if (!root) throw new Error('no [data-liveness-assets] element');
  return root;
}

/** Picks `picked` with the file button, as a person does. */
async function pick(context: Context, ...picked: File[]) {
  const root = rootOf(context.canvasElement);
  const input = root.querySelector<HTMLInputElement>('[data-slot="chooseButton"] input')!;
  await userEvent.upload(input, picked.length === 1 ? picked[0]! : picked, { applyAccept: false });
}

/** Waits until the latest file shows `state`, checks the colour scheme and `texts`; returns the root and the item. */
async function showsItem(context: Context, state: string, texts: string[] = []) {
  const root = rootOf(context.canvasElement);
  await waitFor(
    () => {
      const shown = root.getAttribute('data-state');
      if (shown !== state) throw new Error(`waited for data-state=${state}, it shows ${shown}`);
    },
    { timeout: STATE_TIMEOUT_MS },
  );
  await expectColorScheme(root, context);
  const item = within(root).getAllByRole('listitem').at(-1)!;
  await expect(item).toHaveAttribute('data-state', state);
  for (const part of texts) await expect(item).toHaveTextContent(part);
  return { root, item };
}

/**
 * Each story plays the app's asset routes with msw, and picks a file in its play function: the component
 * runs its real check (the media parsers), upload (XMLHttpRequest) and status reads.
 */
const meta = {
  title: 'Components/LivenessAssets',
  component: LivenessAssets,
  tags: ['autodocs'],
  args: { endpoint: ASSETS_ENDPOINT, pollIntervalMs: 200, locale: 'en' },
  argTypes: {
    locale: { control: 'inline-radio', options: ['en', 'zh-CN', 'zh-TW'], mapping: { en: assetsEn, 'zh-CN': assetsZhCN, 'zh-TW': assetsZhTW } },
    colorScheme: { control: 'inline-radio', options: ['light', 'dark', 'system'] },
    camera: { control: 'inline-radio', options: ['auto', true, false] },
    fetch: { table: { disable: true } },
  },
  decorators: [
    (Story) => (
      <div style={{ width: 'min(420px, calc(100vw - 32px))' }}>
        <Story />
      </div>
    ),
  ],
  beforeEach({ msw }) {
    msw.use(
      acceptsUploads(),
      assetStatus(() => 'active'),
    );
  },
} satisfies Meta<typeof LivenessAssets>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Nothing picked yet: the instruction and the button that opens the file picker. */
export const Idle: Story = {
  async play(context) {
    const root = rootOf(context.canvasElement);
    await expect(root).toHaveAttribute('data-state', 'idle');
    await expectColorScheme(root, context);
    const input = within(root).getByLabelText(text.chooseButtonWithVideo);
    await expect(input).toHaveAttribute('type', 'file');
    await expect(input).toHaveAttribute('accept', 'image/*,video/mp4,video/quicktime');
    await expect(within(root).queryByRole('list')).toBeNull();
  },
};

/** On a phone: "Take a photo" opens the front camera (`capture="user"`), beside choosing a file. */
export const Phone: Story = {
  args: { types: ['image'] },
  render: (args) => (
    <FakeUserAgent userAgent={IPHONE}>
      <LivenessAssets {...args} />
    </FakeUserAgent>
  ),
  async play(context) {
    const root = rootOf(context.canvasElement);
    const camera = await within(root).findByLabelText(text.takePhotoButton);
    await expect(camera).toHaveAttribute('capture', 'user');
    await expect(within(root).getByLabelText(text.chooseButton)).not.toHaveAttribute('capture');
  },
};

/** Sending: a progress bar (the upload never answers here). */
export const Uploading: Story = {
  beforeEach({ msw }) {
    msw.use(uploadNeverAnswers());
  },
  async play(context) {
    await pick(context, photo());
    const { root, item } = await showsItem(context, 'uploading', [text.uploadingIndeterminateText]);
    await expect(within(item).getByRole('progressbar', { name: text.progressLabel.replace('{name}', 'portrait.png') })).toBeInTheDocument();
    await expect(root).toHaveAttribute('aria-busy', 'true');
  },
};

/** Sent: the upstream is checking that the face is the verified person's. */
export const Processing: Story = {
  beforeEach({ msw }) {
    msw.use(assetStatus(() => 'processing'));
  },
  async play(context) {
    await pick(context, photo());
    await showsItem(context, 'processing', [text.processingText]);
  },
};

/** Accepted: usable as `asset://<assetId>`. */
export const Active: Story = {
  async play(context) {
    await pick(context, photo());
    const { item } = await showsItem(context, 'active', [text.activeText]);
    await expect(item.getAttribute('data-asset-id')).toMatch(/^asset-/);
    await expect(within(item).getByRole('button', { name: 'Remove portrait.png' })).toBeInTheDocument();
  },
};

/** The upstream found another person's face. */
export const FaceMismatch: Story = {
  beforeEach({ msw }) {
    msw.use(assetStatus((_id, nth) => (nth < 2 ? 'processing' : 'face_mismatch')));
  },
  async play(context) {
    await pick(context, photo());
    const { item } = await showsItem(context, 'failed', ['The face does not match the verified person.', text.failedFaceMismatchAdvice]);
    await expect(item).toHaveAttribute('data-reason', 'face_mismatch');
  },
};

/** The upstream could not use the file. */
export const InvalidMedia: Story = {
  beforeEach({ msw }) {
    msw.use(assetStatus(() => 'invalid_media'));
  },
  async play(context) {
    await pick(context, photo());
    await showsItem(context, 'failed', [text.failedInvalidMediaText, text.failedInvalidMediaAdvice]);
  },
};

/** An SVG (with a script in it) is not a photo: refused before anything is sent, with the accepted formats. */
export const RejectedType: Story = {
  async play(context) {
    await pick(context, file(files.svgWithScript(), 'drawing.svg', 'image/svg+xml'));
    const { item } = await showsItem(context, 'rejected', [text.rejectedUnsupportedTypeText, 'JPG, PNG, HEIC']);
    await expect(item).toHaveAttribute('data-reason', 'unsupported_type');
  },
};

/** 10 000 × 10 px: too small a side. The numbers and what to do. */
export const RejectedDimensions: Story = {
  async play(context) {
    await pick(context, file(files.png(10_000, 10), 'strip.png', 'image/png'));
    await showsItem(context, 'rejected', ['The picture is too small (10000 × 10 px).', 'Each side needs at least 300 px']);
  },
};

/** The upload never reached the server: an error in words, and Try again. */
export const UploadError: Story = {
  beforeEach({ msw }) {
    msw.use(uploadNetworkError());
  },
  async play(context) {
    await pick(context, photo());
    const { item } = await showsItem(context, 'error', [text.networkError]);
    await expect(within(item).getByRole('button', { name: text.retryButton })).toBeInTheDocument();
  },
};

/** The person has not verified yet (the server answers 404). */
export const NotVerified: Story = {
  beforeEach({ msw }) {
    msw.use(uploadFails(404, 'not_found'));
  },
  async play(context) {
    await pick(context, photo());
    await showsItem(context, 'error', [text.notVerifiedError]);
  },
};

/** Several files: each with its own state. */
export const SeveralFiles: Story = {
  args: { multiple: true },
  beforeEach({ msw }) {
    msw.use(assetStatus((_id, nth) => (nth < 2 ? 'processing' : 'active')));
  },
  async play(context) {
    await pick(context, photo(), file(files.jpeg(3000, 1000), 'panorama.jpg', 'image/jpeg'), file(files.png(800, 600), 'second.png', 'image/png'));
    const root = rootOf(context.canvasElement);
    await waitFor(
      () =>
        expect(
          within(root)
            .getAllByRole('listitem')
            .map((item) => item.getAttribute('data-state')),
        ).toEqual(['active', 'rejected', 'active']),
      {
        timeout: STATE_TIMEOUT_MS,
      },
    );
  },
};

/** The dark look. */
export const Dark: Story = {
  args: { colorScheme: 'dark' },
  beforeEach({ msw }) {
    msw.use(assetStatus((_id, nth) => (nth < 2 ? 'processing' : 'face_mismatch')));
  },
  async play(context) {
    await pick(context, photo());
    await showsItem(context, 'failed', [text.failedFaceMismatchText]);
  },
};

/** Simplified Chinese. */
export const ChineseSimplified: Story = {
  args: { locale: 'zh-CN' as never },
  async play(context) {
    const root = rootOf(context.canvasElement);
    await expect(root).toHaveAttribute('lang', 'zh-CN');
    await userEvent.upload(within(root).getByLabelText(assetsZhCN.displayText.chooseButtonWithVideo), photo(), { applyAccept: false });
    await showsItem(context, 'active', [assetsZhCN.displayText.activeText]);
  },
};

/** Traditional Chinese. */
export const ChineseTraditional: Story = {
  args: { locale: 'zh-TW' as never },
  async play(context) {
    const root = rootOf(context.canvasElement);
    await expect(root).toHaveAttribute('lang', 'zh-TW');
    await userEvent.upload(within(root).getByLabelText(assetsZhTW.displayText.chooseButtonWithVideo), file(files.png(10_000, 10), 'strip.png', 'image/png'), { applyAccept: false });
    await showsItem(context, 'rejected', ['圖片尺寸過小']);
  },
};
