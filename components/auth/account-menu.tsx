'use client';

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAuth } from './auth-context';

export function AccountMenu() {
  const { status, account, signIn, signOut, mode } = useAuth();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  // Escape or a click elsewhere closes the menu; focus goes back to the button.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        trigger.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => !root.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    root.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);
  if (status !== 'signed-in' || !account) return null;
  return (
    <div className="relative" ref={root}>
      <button
        ref={trigger}
        type="button"
        className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-white/10"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <span
          className="flex h-7 w-7 items-center justify-center rounded-full bg-azure-600 text-xs font-bold"
          aria-hidden="true"
        >
          {account.name.slice(0, 1).toUpperCase()}
        </span>
        {/* Narrow screens show the initial only; the name stays the button's accessible name. */}
        <span className="sr-only text-left leading-tight sm:not-sr-only sm:block">
          <span className="block">{account.name}</span>
          <span className="block text-xs text-neutral-300">{account.username}</span>
        </span>
      </button>
      {open && (
        <div
          role="menu"
          className="absolute right-0 z-20 mt-1 w-56 rounded border border-neutral-200 bg-white p-1 text-neutral-900 shadow-lg dark:border-neutral-700 dark:bg-neutral-900 dark:text-neutral-100"
        >
          <p className="px-3 py-2 text-xs text-neutral-600 dark:text-neutral-400">
            {mode === 'sandbox' ? 'Sandbox persona' : 'Microsoft Entra ID'}
          </p>
          {mode === 'azure' && (
            // Microsoft's account picker; the wizard's choices come back from session storage after the redirect.
            <MenuItem
              onSelect={() => {
                setOpen(false);
                void signIn();
              }}
            >
              Switch account
            </MenuItem>
          )}
          <MenuItem
            onSelect={() => {
              setOpen(false);
              void signOut();
            }}
          >
            {mode === 'sandbox' ? 'Sign out / switch persona' : 'Sign out'}
          </MenuItem>
        </div>
      )}
    </div>
  );
}

function MenuItem({ onSelect, children }: { onSelect: () => void; children: ReactNode }) {
  return (
    <button
      type="button"
      role="menuitem"
      className="w-full rounded px-3 py-2 text-left text-sm hover:bg-neutral-100 dark:hover:bg-neutral-800"
      onClick={onSelect}
    >
      {children}
    </button>
  );
}
