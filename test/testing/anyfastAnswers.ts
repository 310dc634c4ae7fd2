// What the mock upstream answers, typed for the fields the tests read: Anyfast's shapes.

/** CreateVisualValidateSession's answer, in Anyfast's flat shape. */
export interface AnyfastCreateAnswer {
  BytedToken: string;
  H5Link: string;
  CallbackURL: string;
}

/** An error answer, loosely: each of Anyfast's error shapes fills in a few of these. */
export interface AnyfastErrorShape {
  error?: { type?: unknown; code?: unknown; message?: unknown };
  data?: unknown;
  code?: unknown;
  message?: unknown;
}

/** A response's JSON body, as the shape the test expects (its assertions check the fields). */
export async function bodyOf<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

/** The BytePlus error code that an error relayed by Anyfast carries as JSON in its `message`. */
export function relayedCode(body: AnyfastErrorShape): unknown {
  if (typeof body.message !== 'string') return undefined;
  return (JSON.parse(body.message) as { ResponseMetadata?: { Error?: { Code?: unknown } } }).ResponseMetadata?.Error?.Code;
}
