/**
 * One way for provider modules to call a provider's HTTP API and to say
 * what went wrong in the words people need: which server, which config key
 * to check, and the provider's own message.
 */

/** Which provider a request goes to, for messages. @public */
export type ProviderEndpoint = {
  /** Who answers, e.g. `Unleash at https://unleash.example.com`. */
  name: string;
  /** The config key of the provider's URL, e.g. `glidepath.unleash.baseUrl`. */
  baseUrlKey: string;
  /** The config key of the timeout, e.g. `glidepath.unleash.timeout`. */
  timeoutKey: string;
  /** The config key of the token, e.g. `glidepath.unleash.token`. */
  tokenKey: string;
  /** How long one request may take. */
  timeoutMs: number;
};

/** What a provider answered, whatever the status. @public */
export type ProviderAnswer = {
  status: number;
  /** `401 Unauthorized`: the status with its text. */
  statusLine: string;
  headers: Headers;
  text: string;
  /** The body read as JSON; `undefined` when empty or not JSON. */
  json: unknown;
};

/**
 * A provider refused a request (an answer that is not 2xx): its status and
 * a message naming the provider, what was asked and the provider's reason.
 * @public
 */
export class ProviderRefusal extends Error {
  /** The HTTP status the provider answered with. */
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ProviderRefusal';
    this.status = status;
  }
}

/** The first 200 characters of a text, on one line. @public */
export function textExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty)';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Sends one request and reads the answer, whatever its status. Throws when
 * there is no answer: the provider could not be reached (naming
 * `baseUrlKey`), did not answer within `timeoutMs` (naming `timeoutKey`),
 * or `signal` aborted the request.
 * @public
 */
export async function requestProvider(
  endpoint: ProviderEndpoint,
  request: {
    url: string;
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    /** What was asked, for messages, e.g. `list its projects`. */
    what: string;
  },
): Promise<ProviderAnswer> {
  const { signal, what } = request;
  const timeout = AbortSignal.timeout(endpoint.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    if (timeout.aborted && !signal?.aborted) {
      throw new Error(
        `${endpoint.name} did not answer within ${seconds(
          endpoint.timeoutMs,
        )} (${endpoint.timeoutKey}) when asked to ${what}`,
      );
    }
    if (signal?.aborted) {
      throw new Error(`${endpoint.name}: the request to ${what} was aborted`, {
        cause: signal.reason,
      });
    }
    const cause = (error as { cause?: { message?: string; code?: string } })
      .cause;
    throw new Error(
      `${endpoint.name} could not be reached (is ${
        endpoint.baseUrlKey
      } right?): ${cause?.message ?? cause?.code ?? (error as Error).message}`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    statusLine: `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`,
    headers: response.headers,
    text,
    json,
  };
}

/**
 * The error for an answer that is not 2xx, with the provider's own message
 * (a JSON body's `message`, else the start of the body): a 401 says the
 * token (`tokenKey`) is refused; a 429 says until when to wait, from
 * `Retry-After` or from `retryAt`; any other says the provider refused to
 * do `what`.
 * @public
 */
export function providerRefusal(
  endpoint: ProviderEndpoint,
  answer: ProviderAnswer,
  what: string,
  options: { retryAt?: (headers: Headers) => Date | undefined } = {},
): ProviderRefusal {
  const body = answer.json as { message?: unknown } | undefined;
  const message =
    typeof body?.message === 'string' ? body.message : textExcerpt(answer.text);
  const { name, tokenKey } = endpoint;
  if (answer.status === 401) {
    return new ProviderRefusal(
      `${name} refused the token (${tokenKey}) when asked to ${what}: ${answer.statusLine}: ${message}`,
      401,
    );
  }
  if (answer.status === 429) {
    const retryAfter = Number(answer.headers.get('Retry-After'));
    const at =
      options.retryAt?.(answer.headers) ??
      (retryAfter > 0 ? new Date(Date.now() + retryAfter * 1000) : undefined);
    return new ProviderRefusal(
      `${name} rate-limited the request to ${what}${
        at ? ` until ${at.toISOString()}` : ''
      }: ${answer.statusLine}: ${message}`,
      429,
    );
  }
  return new ProviderRefusal(
    `${name} refused to ${what}: ${answer.statusLine}: ${message}`,
    answer.status,
  );
}
