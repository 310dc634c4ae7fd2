import type { CreateDevice } from '../../core/wire/protocol.js';

// The same families the component's `detectMobile` names (phones and tablets); iPadOS, which says
// "Macintosh", is known only to the page itself, which sends `device` in the create body.
const MOBILE_UA = /Android|iPhone|iPod|iPad|Mobile|Windows Phone|IEMobile|BlackBerry|BB10|Opera Mini|webOS|Silk|Kindle/i;

/**
 * The device a create request comes from, when its body does not say: User-Agent Client Hints
 * (`Sec-CH-UA-Mobile: ?1`) first, then the User-Agent. Only words on pages depend on it (DESIGN rule
 * 10: never "go back to your computer" to someone who started on their phone), so a client that lies
 * only changes what its own phone reads.
 */
export function requestDevice(request: Request): CreateDevice {
  if (request.headers.get('Sec-CH-UA-Mobile') === '?1') return 'mobile';
  return MOBILE_UA.test(request.headers.get('User-Agent') ?? '') ? 'mobile' : 'desktop';
}
