'use client';

import { useEffect, useState } from 'react';
import { apiFetch } from '@/lib/api/client';
import { Button } from '@/components/ui/button';
import { ErrorCallout } from '@/components/ui/error-callout';
import { useAuth } from './auth-context';

interface Persona {
  username: string;
  displayName: string;
  description: string;
}

export function SignInPanel() {
  const { mode, signIn } = useAuth();
  const [personas, setPersonas] = useState<Persona[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    if (mode !== 'sandbox') return;
    apiFetch<{ personas: Persona[] }>('/api/sandbox/personas', null)
      .then((r) => setPersonas(r.personas))
      .catch(setError);
  }, [mode]);

  const go = async (username?: string) => {
    setBusy(username ?? 'microsoft');
    setError(null);
    try {
      await signIn(username);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  if (mode === 'azure') {
    return (
      <section className="mt-4 space-y-3" aria-labelledby="sign-in-title">
        <h2 id="sign-in-title" className="text-lg font-semibold">
          Sign in
        </h2>
        <p className="text-sm">Sign in with the Microsoft Entra account you use in the Azure portal.</p>
        <Button onClick={() => go()} disabled={busy !== null}>
          Sign in with Microsoft
        </Button>
        <ErrorCallout error={error} />
      </section>
    );
  }
  return (
    <section className="mt-4 space-y-3" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title" className="text-lg font-semibold">
        Sign in to the sandbox
      </h2>
      <p className="text-sm">
        The sandbox is a local stand-in for Microsoft Entra ID, Azure Resource Manager and Key Vault. Pick a persona:
        each has different rights, so you can see what happens when a permission is missing.
      </p>
      <ErrorCallout error={error} />
      {!personas && !error && <p className="text-sm">Loading personas…</p>}
      <ul className="grid gap-3 sm:grid-cols-3">
        {personas?.map((p) => (
          <li key={p.username} className="flex flex-col rounded border border-neutral-300 p-3 dark:border-neutral-700">
            <span className="font-semibold">{p.displayName}</span>
            <span className="text-xs text-neutral-600 dark:text-neutral-400">{p.username}</span>
            <span className="mt-2 flex-1 text-sm">{p.description}</span>
            <Button
              className="mt-3"
              onClick={() => go(p.username)}
              disabled={busy !== null}
              aria-label={`Sign in as ${p.displayName}`}
            >
              {busy === p.username ? 'Signing in…' : `Sign in as ${p.displayName.split(' ')[0]}`}
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
