import type { Metadata } from 'next';
import type { ReactNode } from 'react';
// The package's stylesheet, imported the way its README says, from a server component.
import 'react-liveness-session/styles.css';

export const metadata: Metadata = {
  title: 'consumer: Next.js App Router',
  // No favicon request: a 404 in the console would fail the test.
  icons: { icon: 'data:,' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
