// Rule 5 with a lazily loaded QR encoder: a server never loads the encoder, a browser may already hold
// it when it hydrates (another component loaded it, or it arrived before hydration). Both must render
// the same markup (the placeholder, data-qr="pending"); the drawn code follows after hydration. Here
// the server render runs before the encoder's module is let through.
import { waitFor } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { expect, it, vi } from 'vitest';
import type { QueryClient } from '@tanstack/react-query';
import { LivenessSession } from '../../src/react/LivenessSession';
import { qrCodeImage } from '../../src/react/lazyParts';
import { livenessQueryKey } from '../../src/react/visualValidateSessionOptions';
import { createFetch, ENDPOINT, hydrateServerHtml, LINK, newQueryClient, sessionReply } from './helpers';

const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
});

vi.mock('../../src/react/views/QrCodeImage', async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

/** A client holding the session prefetched under `key` (what an app's server and its browser share). */
function prefetched(key: string): QueryClient {
  const client = newQueryClient();
  client.setQueryData([...livenessQueryKey, 'session', key, 0], { sessionId: 'sess_prefetched', h5Link: LINK, expiresAt: '2030-01-01T00:00:00.000Z' });
  return client;
}

it('server render and hydration agree while the browser already holds the encoder (mode qr, a prefetched session)', async () => {
  const { fetch } = createFetch(sessionReply());
  const html = renderToString(<LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="qr" sessionKey="k" queryClient={prefetched('k')} />);
  expect(html).toContain('data-state="ready"');
  expect(html).toContain('data-qr="pending"');
  expect(html).not.toContain('<svg');

  gate.open();
  await qrCodeImage.load();
  await hydrateServerHtml(html, <LivenessSession endpoint={ENDPOINT} fetch={fetch} mode="qr" sessionKey="k" queryClient={prefetched('k')} />, async (root) => {
    await waitFor(() => expect(root).toHaveAttribute('data-qr', 'drawn'));
    expect(root.querySelector('[data-slot="qrCode"] svg')).not.toBeNull();
  });
});
