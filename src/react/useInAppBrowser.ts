import { useEffect, useState } from 'react';
import { useLazyPart, type LazyPart } from './lazyPart.js';
import { inAppBrowser } from './lazyParts.js';

/**
 * Whether the page runs in an app's embedded browser (WeChat and the like, where the camera often
 * fails), for a component that may show its link. The User-Agent is read once `check` is true, in an
 * effect and never in render (a story or test may fake it for one mount only), and tested once the
 * check's lazily loaded part is there. The answer is read like a lazily loaded part: the component
 * re-renders only for a yes while it `shows`, so other browsers pay no commit for the check, and the
 * answer is in the commit that shows the link, or in the one right after the part arrives.
 */
export function useInAppBrowser(check: boolean, shows: boolean): boolean {
  const [answer] = useState(answerFor);
  // Before useLazyPart's subscription: useSyncExternalStore reads the answer again when it subscribes
  // (after this effect), so a link shown at mount with the part already there gets its hint then.
  useEffect(() => {
    if (check) answer.read(navigator.userAgent);
  }, [answer, check]);
  return useLazyPart(answer, shows, check) === true;
}

/** The check's answer for the User-Agent a component read, as a lazily loaded part: `true`, or nothing. */
function answerFor(): LazyPart<unknown> & { read(userAgent: string): void } {
  let userAgent: string | undefined;
  return {
    read: (value) => void (userAgent ??= value),
    load: inAppBrowser.load,
    current: () => (userAgent !== undefined && inAppBrowser.current()?.detectInAppBrowser({ userAgent })) || undefined,
    subscribe: inAppBrowser.subscribe,
  };
}
