import { isApiErrorBody, type ApiErrorBody } from '@/lib/errors';

/** Browser-side caller of our API. Every failure becomes an ApiError with the server's code, message and action. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody['error'],
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
  get code() {
    return this.body.code;
  }
  get action() {
    return this.body.action;
  }
}

export type TokenSource = () => Promise<string>;

export async function apiFetch<T>(path: string, getToken: TokenSource | null, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (getToken) headers.set('authorization', `Bearer ${await getToken()}`);
  if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers, cache: 'no-store' });
  } catch {
    throw new ApiError(0, {
      code: 'azure_unavailable',
      message: 'The app server could not be reached.',
      action: 'Check your connection and retry.',
    });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    if (isApiErrorBody(data)) throw new ApiError(res.status, data.error);
    throw new ApiError(res.status, {
      code: 'internal',
      message: `The server answered ${res.status}.`,
      action: 'Retry in a moment.',
    });
  }
  return data as T;
}
