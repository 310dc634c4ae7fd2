/**
 * Resolves once the page is idle (`requestIdleCallback`, within a second), or in the next task where
 * a browser cannot tell (Safari): work started then never delays what the page is showing now.
 */
export const whenIdle = (): Promise<unknown> => new Promise((resolve) => (typeof requestIdleCallback == 'function' ? requestIdleCallback(resolve, { timeout: 1000 }) : setTimeout(resolve, 0)));
