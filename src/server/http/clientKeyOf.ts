import type { HandlerContext } from '../handlerContext.js';

/**
 * The client a request counts against (`clientKey`), for the per-client budget of creates and sends;
 * a hook that throws, or answers something that is not a non-empty string, makes it unidentified.
 */
export async function clientKeyOf(context: HandlerContext, request: Request): Promise<string | undefined> {
  try {
    const key = await context.options.clientKey(request);
    return typeof key === 'string' && key !== '' ? key : undefined;
  } catch {
    return undefined;
  }
}
