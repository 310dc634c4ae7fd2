// Types for chromium.mjs, so the TypeScript configs (vitest.config.ts, playwright.config.ts) can import it.
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];
