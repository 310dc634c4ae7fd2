/*
 * What the stories' play functions check, in one place: the settled state of the component, its
 * colour scheme, its links, and what its QR code encodes (decoded with jsqr in the browser). They run
 * in Storybook's Interactions panel and as story tests (`npm run test:storybook`).
 */
import jsQR from 'jsqr';
import { expect, userEvent, waitFor } from 'storybook/test';

/** How long a state may take to show up (the QR encoder is a lazy chunk; a busy 2-core machine). */
export const STATE_TIMEOUT_MS = 15_000;

export const ROOT = '[data-liveness-session]';

export type SessionState = 'idle' | 'creating' | 'ready' | 'opened' | 'error' | 'verified' | 'failed' | 'expired';

/** The component's root inside `container`; fails when there is none. */
export function rootIn(container: ParentNode): HTMLElement {
  const root = container.querySelector<HTMLElement>(ROOT);
  if (!root) throw new Error(`no ${ROOT} element`);
  return root;
}

/**
 * Waits until the component inside `container` shows `state` (and `mode`, when given) and returns its
 * root. The failure message names what it shows instead.
 */
export async function settles(container: ParentNode, state: SessionState, mode?: 'qr' | 'link'): Promise<HTMLElement> {
  await waitFor(
    () => {
      const root = rootIn(container);
      const shown = `${root.getAttribute('data-state')}/${root.getAttribute('data-mode')}`;
      if (root.getAttribute('data-state') !== state || (mode && root.getAttribute('data-mode') !== mode)) {
        throw new Error(`waited for data-state=${state}${mode ? ` data-mode=${mode}` : ''}, it shows ${shown}`);
      }
    },
    { timeout: STATE_TIMEOUT_MS },
  );
  const root = rootIn(container);
  await expect(root).toHaveAttribute('data-state', state);
  if (mode) await expect(root).toHaveAttribute('data-mode', mode);
  return root;
}

/**
 * The root's colour scheme is the one the story pins, else the `colorScheme` toolbar global (the
 * story tests run with each), else light.
 */
export async function expectColorScheme(root: HTMLElement, context: { args: { colorScheme?: string }; globals: Record<string, unknown> }) {
  const want = context.args.colorScheme ?? (context.globals.colorScheme as string | undefined) ?? 'light';
  await expect(root).toHaveAttribute('data-color-scheme', want);
}

/**
 * Every link the component renders goes to the fake H5 host, decoded (but the consent step's link to the
 * app's own policy), and nothing on the page is a script URL.
 */
export async function expectSafeLinks(root: HTMLElement) {
  for (const link of root.querySelectorAll('a:not([data-slot="policyLink"])')) {
    const href = link.getAttribute('href') ?? '';
    await expect(href, 'a link href').toMatch(/^https:\/\/h5\.example\.test\//);
    await expect(href, 'a link href').not.toContain('\\u0026');
  }
  const scripts = [...root.ownerDocument.querySelectorAll('a[href]')].filter((a) => /^\s*(javascript|data):/i.test(a.getAttribute('href') ?? ''));
  await expect(scripts, 'javascript:/data: links on the page').toHaveLength(0);
}

/** A decided session leaves neither the link nor the QR code in the markup. */
export async function expectNoLinkLeft(root: HTMLElement) {
  await expect(root.querySelectorAll('a, [data-slot="qrCode"]'), 'links or QR codes after the outcome').toHaveLength(0);
  await expect(root.innerHTML).not.toContain('h5.example.test');
}

/** The text of the `href` behind "open on this device", which the QR code must encode. */
export function openHereHref(root: HTMLElement): string | null {
  return root.querySelector('[data-slot="secondaryLink"]')?.getAttribute('href') ?? null;
}

/**
 * Decodes the component's QR code with jsqr. The code is drawn from a copy of its SVG at a whole
 * number of pixels per module (4) on white, so the check is about what the code encodes, not about
 * how a screenshot's resampling treats a dense code (the bench measures scannability).
 */
export async function decodeQr(root: HTMLElement): Promise<string> {
  // The QR encoder is a lazy chunk: the code follows `ready` by a module load, and the root says
  // `data-qr="drawn"` once it is in the DOM (the documented thing to wait for).
  const svg = await waitFor(
    () => {
      if (root.getAttribute('data-qr') !== 'drawn') throw new Error(`data-qr is ${root.getAttribute('data-qr')}, not drawn`);
      const found = root.querySelector<SVGSVGElement>('[data-slot="qrCode"] svg');
      if (!found) throw new Error('data-qr="drawn" but no <svg> in [data-slot="qrCode"]');
      return found;
    },
    { timeout: STATE_TIMEOUT_MS },
  );
  const modules = svg.viewBox.baseVal.width;
  const size = modules * 4;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('width', String(size));
  copy.setAttribute('height', String(size));
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas context');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.drawImage(image, 0, 0, size, size);
    const { data } = context.getImageData(0, 0, size, size);
    const result = jsQR(data, size, size);
    if (!result) throw new Error(`the QR code (${modules} modules incl. quiet zone) did not decode`);
    return result.data;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The faked WeChat User-Agent (FakeUserAgent.tsx) is gone once the story has mounted. */
export async function expectRealUserAgent() {
  await expect(navigator.userAgent).not.toMatch(/MicroMessenger/);
}

/**
 * Taps a link the way a person does (the component's click handler runs) without the browser leaving
 * for the fake H5 host: the default action is cancelled after React has seen the click.
 */
export async function tapWithoutLeaving(link: HTMLElement) {
  const stay = (event: Event) => event.preventDefault();
  link.ownerDocument.addEventListener('click', stay);
  try {
    await userEvent.click(link);
  } finally {
    link.ownerDocument.removeEventListener('click', stay);
  }
}
