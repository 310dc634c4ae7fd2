import { useEffect, type ReactNode } from 'react';

/** WeChat's in-app browser on an iPhone (its User-Agent says `MicroMessenger`). */
export const WECHAT_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003129) NetType/WIFI Language/zh_CN';

function restore(): void {
  // The override is an own property of the navigator object; deleting it uncovers the browser's getter.
  delete (navigator as unknown as Record<string, unknown>).userAgent;
}

function Override({ userAgent }: { userAgent: string }) {
  useEffect(() => {
    Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => userAgent });
    return restore;
  }, [userAgent]);
  return null;
}

function Restore() {
  useEffect(restore, []);
  return null;
}

/**
 * Makes the components inside it see another `navigator.userAgent` when they mount. The component reads
 * the User-Agent only in its mount effects, and React runs sibling effects in order, so the override is
 * set by the effect just before the children's and removed by the one just after: other components on
 * the page, other stories and the Storybook UI keep the real User-Agent.
 */
export function FakeUserAgent({ userAgent, children }: { userAgent: string; children: ReactNode }) {
  return (
    <>
      <Override userAgent={userAgent} />
      {children}
      <Restore />
    </>
  );
}
