// Issue 24: the send-link form is a chunk of its own, fetched when a person opens "Can't scan?". While it
// loads, the button stays where it is, marked busy (nothing flashes empty); if it cannot be fetched
// (offline, a deploy replaced it), the button is there again, not busy, and a second press fetches it.
// The form's module is held back here: the first fetch fails, the second waits behind a gate. The
// component is imported afresh (test/setup.ts has already loaded the form for every other test).
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { defaultDisplayTextEn } from '../../src/react/text/displayText';
import { sendLinkTextEn } from '../../src/react/sendLink/sendLinkTextEn';

const en = { ...defaultDisplayTextEn, ...sendLinkTextEn };

const chunk = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { fails: true, fetches: 0, open, opened };
});

vi.mock('../../src/react/sendLink/SendLinkForm', async (importOriginal) => {
  chunk.fetches += 1;
  if (chunk.fails) {
    chunk.fails = false;
    throw new TypeError('Failed to fetch dynamically imported module');
  }
  await chunk.opened;
  return importOriginal();
});

describe('the send-link form while its chunk loads', () => {
  it('a failed fetch gives the button back, not busy; the second press keeps it busy until the form is in, then shows the form', async () => {
    vi.resetModules();
    const { LivenessSession } = await import('../../src/react/LivenessSession');
    const { createBackend, ENDPOINT, newQueryClient, statusUrlOf } = await import('./helpers');
    const server = createBackend({ session: (n) => ({ sendUrl: `${statusUrlOf(`sess_${n}`)}/send`, sendChannels: ['sms'] }) });
    const view = render(<LivenessSession endpoint={ENDPOINT} fetch={server.fetch} queryClient={newQueryClient()} mode="qr" />);
    const user = userEvent.setup();
    const button = await screen.findByRole('button', { name: en.sendLinkButton });

    await user.click(button);
    await waitFor(() => expect(chunk.fetches).toBe(1));
    // Given back: the same button, in place, no longer busy, and no form.
    await waitFor(() => expect(button).not.toHaveAttribute('aria-busy'));
    expect(button).toBeInTheDocument();
    expect(screen.queryByRole('form')).toBeNull();

    await user.click(button);
    await waitFor(() => expect(chunk.fetches).toBe(2));
    expect(button).toHaveAttribute('aria-busy', 'true');
    expect(button).toBeInTheDocument();
    expect(screen.queryByRole('form')).toBeNull();

    chunk.open();
    await screen.findByRole('form', { name: en.sendLinkTitle });
    expect(view.container.querySelector('[data-slot="sendLinkOpen"]')).toBeNull();
  });
});
