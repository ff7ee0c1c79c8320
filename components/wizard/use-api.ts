'use client';

import { useCallback, useEffect, useState } from 'react';
import { apiFetch } from '@/lib/api/client';
import { useAuth } from '@/components/auth/auth-context';

/** GETs an API path with the user's token; `null` path = not yet. Keeps the last data while reloading. */
export function useApi<T>(path: string | null) {
  const { getToken } = useAuth();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    setLoading(true);
    setError(null);
    apiFetch<T>(path, getToken)
      .then((d) => !cancelled && setData(d))
      .catch((e: unknown) => !cancelled && setError(e))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [path, getToken, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** Same as apiFetch, bound to the signed-in user. */
export function useApiCall() {
  const { getToken } = useAuth();
  return useCallback(<T>(path: string, init?: RequestInit) => apiFetch<T>(path, getToken, init), [getToken]);
}
