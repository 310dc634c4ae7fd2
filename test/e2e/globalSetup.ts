// Runs once the two demo servers answer (Playwright starts its web servers first): warms Vite's
// transform cache on both, so no test pays for the first transform and a late dependency
// optimisation cannot reload a page in the middle of a test.
export default async function globalSetup() {
  for (const variable of ['E2E_ORIGIN', 'E2E_SHORT_ORIGIN']) {
    const origin = process.env[variable];
    if (!origin) throw new Error(`${variable} is not set: the demo server did not print its address`);
    for (const path of ['/', '/main.tsx', '/App.tsx', '/@vite/client']) {
      const response = await fetch(`${origin}${path}`);
      await response.text();
      if (!response.ok) throw new Error(`GET ${origin}${path} answered ${response.status}`);
    }
  }
}
