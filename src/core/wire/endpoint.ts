/** Where the browser asks for a session: a URL, or a URL with request details. */
export type Endpoint =
  | string
  | {
      /** Absolute or relative URL of the backend route. */
      url: string;
      /** @default 'POST' */
      method?: string;
      /** Extra request headers (for example a CSRF token). */
      headers?: Record<string, string>;
      /** @default 'same-origin' */
      credentials?: RequestCredentials;
    };

export interface ResolvedEndpoint {
  url: string;
  method: string;
  headers: Record<string, string>;
  credentials: RequestCredentials;
}

export function resolveEndpoint(endpoint: Endpoint): ResolvedEndpoint {
  const given = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
  return { url: given.url, method: given.method ?? 'POST', headers: given.headers ?? {}, credentials: given.credentials ?? 'same-origin' };
}
