import { timingSafeEqual } from './http/timingSafeEqual.js';

/**
 * Whether `asked` names the session's `owner`. Nothing (`undefined`, `''`) names anybody: an app that
 * passes `{ subject: user?.id }` for a signed-out visitor must get nothing back, not every session.
 * Constant time, since `asked` may come from whoever asks the app to look a session up.
 */
export function sameSubject(asked: string | undefined, owner: string | undefined): boolean {
  return typeof asked === 'string' && asked !== '' && owner !== undefined && timingSafeEqual(asked, owner);
}
