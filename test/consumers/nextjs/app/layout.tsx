import type { Metadata } from 'next';
import type { ReactNode } from 'react';
// The package's stylesheet, imported the way its README says, from a server component.
import 'react-liveness-session/styles.css';

export const metadata: Metadata = {
  title: 'consumer: Next.js App Router',
  // The favicon is app/icon.svg: a data: URL would break the page's img-src 'self' (proxy.ts).
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
