import { useEffect, useState, useSyncExternalStore } from 'react';
import { preload } from './lazyPart.js';
import { inAppBrowser } from './lazyParts.js';

/**
 * Whether the page runs in an app's embedded browser (WeChat and the like, where the camera often
 * fails), for a component that may show its link. The User-Agent is read once `check` is true, in an
 * effect and never in render (a story or test may fake it for one mount only), and tested once the
 * check's lazily loaded part is there. The component re-renders only for a yes while `shows`: other
 * browsers pay no commit for the check, and the answer is in the very commit that shows the link, or
 * in the one right after the part arrives (a store update, flushed before any task).
 */
export function useInAppBrowser(check: boolean, shows: boolean): boolean {
  const [agent] = useState(userAgentAtMount);
  useEffect(() => {
    if (!check) return;
    agent.read(navigator.userAgent);
    preload(inAppBrowser);
  }, [agent, check]);
  return useSyncExternalStore(shows ? agent.subscribe : noSubscription, shows ? agent.inApp : no, no);
}

const no = () => false;
const noSubscription = () => () => undefined;

/** One component's User-Agent, as its effect read it, and the check's answer for it. */
function userAgentAtMount() {
  let userAgent: string | undefined;
  const listeners = new Set<() => void>();
  return {
    read(value: string) {
      userAgent = value;
      listeners.forEach((listener) => listener());
    },
    inApp: () => userAgent !== undefined && inAppBrowser.current()?.detectInAppBrowser({ userAgent }) === true,
    subscribe(listener: () => void) {
      listeners.add(listener);
      const arrived = inAppBrowser.subscribe(listener);
      return () => {
        listeners.delete(listener);
        arrived();
      };
    },
  };
}
