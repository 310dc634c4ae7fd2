// Debian's Chromium, launched through playwright-core with the flags this machine needs
// (TOOLCHAIN.md): no sandbox as root, and no background networking into a closed network.
// Shared by the story tests (vitest.config.ts), the end-to-end suite, the consumer tests and the benchmarks.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze(['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']);
