import 'server-only';
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * Every Azure call is bounded (issue 17): a call — its retries, its Retry-After waits and its token exchange
 * included — gets `AZURE_TIMEOUT_SECONDS` (default 20 s) and is then abandoned with an `UpstreamTimeout` error; a
 * 429/503 whose Retry-After is longer than that is not waited out but answered at once as `RetryAfterTooLong`,
 * with the wait Azure asked for. Both become the app's error in lib/azure/errors.ts, which says so.
 *
 * The budget is read per call, so a change of the environment applies to clients that already exist.
 */
const DEFAULT_TIMEOUT_SECONDS = 20;

function azureTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const seconds = Number(env.AZURE_TIMEOUT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 600) * 1000 : DEFAULT_TIMEOUT_SECONDS * 1000;
}

/** A RestError the retry policy does not retry (no status, no system-error code) that the error mapper recognises. */
class UpstreamTimeoutError extends RestError {
  constructor(readonly timeoutSeconds: number) {
    super(`Azure did not answer within ${timeoutSeconds} s.`, { code: 'UpstreamTimeout' });
    this.name = 'RestError';
  }
}

class RetryAfterTooLongError extends RestError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly timeoutSeconds: number,
    status: number,
  ) {
    // Carries the status but no response: the retry strategies look at `response` for Retry-After, so they let it go.
    super(`Azure asked to retry after ${retryAfterSeconds} s, beyond this app's ${timeoutSeconds} s limit.`, {
      code: 'RetryAfterTooLong',
      statusCode: status,
    });
    this.name = 'RestError';
  }
}

/** Per call (outside the retry policy): one deadline for all attempts, waits and the token. */
function deadlinePolicy(): PipelinePolicy {
  return {
    name: 'csesDeadlinePolicy',
    async sendRequest(request, next) {
      const ms = azureTimeoutMs();
      const controller = new AbortController();
      const outer = request.abortSignal;
      const forward = () => controller.abort();
      if (outer?.aborted) controller.abort();
      outer?.addEventListener('abort', forward);
      request.abortSignal = controller.signal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new UpstreamTimeoutError(ms / 1000));
          controller.abort();
        }, ms);
      });
      try {
        return await Promise.race([next(request), expired]);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', forward);
        request.abortSignal = outer;
      }
    },
  };
}

function retryAfterMs(headers: { get(name: string): string | undefined }): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name);
    if (value && Number.isFinite(Number(value))) return Number(value);
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Per attempt (inside the retry policy): a throttling answer that asks for a longer wait than the budget ends it. */
function retryAfterBudgetPolicy(): PipelinePolicy {
  return {
    name: 'csesRetryAfterBudgetPolicy',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      const wait = retryAfterMs(response.headers);
      const ms = azureTimeoutMs();
      if (wait !== undefined && wait > ms)
        throw new RetryAfterTooLongError(Math.ceil(wait / 1000), ms / 1000, response.status);
      return response;
    },
  };
}

/** The options every Azure client and credential of the app is built with. */
export function boundedPipeline() {
  return {
    additionalPolicies: [
      { policy: deadlinePolicy(), position: 'perCall' as const },
      { policy: retryAfterBudgetPolicy(), position: 'perRetry' as const },
    ],
  };
}
