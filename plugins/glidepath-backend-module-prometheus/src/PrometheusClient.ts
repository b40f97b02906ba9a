import {
  parseInstantQueryData,
  UnusableResultError,
  type PromSample,
} from './results';

/** How to reach a Prometheus server (or a compatible API: Thanos, Mimir). */
export type PrometheusClientOptions = {
  /** The server's URL, without `/api/v1`. */
  baseUrl: string;
  headers?: Record<string, string>;
  /** How long one query may take. */
  timeoutMs: number;
};

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/** The first part of a text, on one line, for an error message. */
function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}...` : line || '(empty)';
}

/**
 * Evaluates instant queries with Prometheus's HTTP API
 * (`POST /api/v1/query`). Every failure is thrown as an Error whose message
 * names the server and what went wrong: the HTTP status and Prometheus's own
 * error text, a network error, a timeout or an answer that is not the JSON
 * the API returns.
 */
export class PrometheusClient {
  readonly #endpoint: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #name: string;

  constructor(options: PrometheusClientOptions) {
    // fetch refuses URLs with credentials: send them as basic auth instead.
    const url = new URL(options.baseUrl);
    const hasAuthorization = Object.keys(options.headers ?? {}).some(
      name => name.toLowerCase() === 'authorization',
    );
    const basic =
      (url.username || url.password) && !hasAuthorization
        ? `Basic ${Buffer.from(
            `${decodeURIComponent(url.username)}:${decodeURIComponent(
              url.password,
            )}`,
          ).toString('base64')}`
        : undefined;
    url.username = '';
    url.password = '';
    const base = url.toString().replace(/\/+$/, '');
    this.#endpoint = `${base}/api/v1/query`;
    this.#headers = {
      ...(basic && { Authorization: basic }),
      ...options.headers,
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    };
    this.#timeoutMs = options.timeoutMs;
    this.#name = `Prometheus at ${base}`;
  }

  /** Evaluates `query` at `time`; `signal` aborts it. */
  async query(
    query: string,
    time: Date,
    signal?: AbortSignal,
  ): Promise<PromSample[]> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const body = new URLSearchParams({
      query,
      time: (time.getTime() / 1000).toFixed(3),
      timeout: `${Math.max(1, Math.floor(this.#timeoutMs / 1000))}s`,
    });

    let response: Response;
    let text: string;
    try {
      response = await fetch(this.#endpoint, {
        method: 'POST',
        headers: this.#headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) {
        throw new Error(
          `${this.#name} did not answer within ${seconds(
            this.#timeoutMs,
          )} (glidepath.prometheus.timeout) for ${query}`,
        );
      }
      if (signal?.aborted) {
        throw new Error(`${this.#name}: the query was aborted: ${query}`, {
          cause: signal.reason,
        });
      }
      const cause = (error as { cause?: { message?: string } }).cause;
      throw new Error(
        `${this.#name} could not be reached: ${
          cause?.message ?? error.message
        }`,
        { cause: error },
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const answer = (json ?? {}) as {
      status?: unknown;
      errorType?: unknown;
      error?: unknown;
      data?: unknown;
    };
    const status = `${response.status}${
      response.statusText ? ` ${response.statusText}` : ''
    }`;

    if (answer.status === 'error' || !response.ok) {
      const reason =
        typeof answer.error === 'string'
          ? `${
              typeof answer.errorType === 'string'
                ? `${answer.errorType}: `
                : ''
            }${answer.error}`
          : excerpt(text);
      throw new Error(
        `${this.#name} answered ${status}: ${reason} (query: ${query})`,
      );
    }
    if (json === undefined || answer.status !== 'success') {
      throw new Error(
        `${
          this.#name
        } answered ${status} with something other than Prometheus's API JSON (is baseUrl the server's URL, without /api/v1?): ${excerpt(
          text,
        )}`,
      );
    }
    try {
      return parseInstantQueryData(answer.data);
    } catch (error) {
      if (error instanceof UnusableResultError) {
        throw new Error(
          `${this.#name} returned an unusable result: ${
            error.message
          } (query: ${query})`,
        );
      }
      throw error;
    }
  }

  /** `Prometheus at <url>`, for messages. */
  get name(): string {
    return this.#name;
  }
}
