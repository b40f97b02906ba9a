/** Runs a provider call with a deadline; the signal aborts when it passes. */
export async function withTimeout<T>(
  what: string,
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `${what} did not answer within ${
          timeoutMs < 1000
            ? `${timeoutMs} ms`
            : `${Math.round(timeoutMs / 1000)} s`
        }`,
      );
      error.name = 'TimeoutError';
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
