import type { Request, Response } from 'express';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Bodies smaller than this are sent as they are. */
const MIN_GZIP_BYTES = 1024;

/**
 * A JSON response body that is serialised and compressed at most once, so
 * that a cached answer is sent again without that work. Compression runs on
 * libuv's thread pool, not the event loop.
 */
export class EncodedJson<T = unknown> {
  #json?: string;
  #gzip?: Promise<Buffer>;

  readonly #serialize: () => string;

  /** `serialize` gives the same text as JSON.stringify, possibly faster. */
  constructor(
    readonly value: T,
    serialize: (value: T) => string = JSON.stringify,
  ) {
    this.#serialize = () => serialize(value);
  }

  json(): string {
    this.#json ??= this.#serialize();
    return this.#json;
  }

  gzip(): Promise<Buffer> {
    this.#gzip ??= gzipAsync(this.json());
    return this.#gzip;
  }
}

/**
 * Sends the body as JSON, gzip-compressed when the client accepts it (the
 * root router's compression middleware leaves an encoded response alone).
 */
export async function sendEncodedJson(
  req: Pick<Request, 'acceptsEncodings'>,
  res: Response,
  body: EncodedJson,
): Promise<void> {
  res.type('application/json');
  res.vary('Accept-Encoding');
  const json = body.json();
  if (
    Buffer.byteLength(json) >= MIN_GZIP_BYTES &&
    req.acceptsEncodings('gzip', 'identity') === 'gzip'
  ) {
    const compressed = await body.gzip();
    res.setHeader('Content-Encoding', 'gzip');
    res.send(compressed);
    return;
  }
  res.send(json);
}
