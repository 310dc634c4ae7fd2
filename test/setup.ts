import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});

// What the library loads lazily is loaded before each test file, as a browser that has those chunks
// cached holds them: a test of a view sees it in the commit of its state, a test of the lifecycle sees
// an import() settle within a few microtasks. The parts while they load (placeholders, the first commit
// after their arrival, hydration) have tests of their own, each with a fresh or gated copy of the
// module: test/react/lazyParts.test.tsx, qrNoStall, qrHydration, qrDrawn.
await import('../src/core/lifecycle/resumeEntries');
await import('../src/core/lifecycle/watchSession');
await import('../src/core/wire/parseGatewaySession');
if (typeof window !== 'undefined') {
  // Every part but the QR encoder, whose tests hold its module back behind a gate (qrDrawn, qrNoStall).
  const parts = await import('../src/react/lazyParts');
  await Promise.all(
    Object.entries(parts)
      .filter(([name]) => name !== 'qrCodeImage')
      .map(([, part]) => part.load()),
  );
  // The send-link form, a part the offer opens (declared beside it).
  await (await import('../src/react/sendLink/sendLinkFormPart')).sendLinkForm.load();
}
