'use client';

import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

export const INPUT_CLASS =
  'mt-1 rounded border border-neutral-500 bg-white px-2 py-1.5 font-normal text-neutral-900 disabled:opacity-60 dark:border-neutral-500 dark:bg-neutral-900 dark:text-neutral-100';

function Help({ id, help, error }: { id: string; help?: ReactNode; error?: string | null }) {
  if (!help && !error) return null;
  return (
    <span
      id={id}
      className={`mt-1 text-xs ${error ? 'font-semibold text-red-700 dark:text-red-300' : 'text-neutral-700 dark:text-neutral-300'}`}
    >
      {error ?? help}
    </span>
  );
}

/** A labelled text input with help text or an error (linked by aria-describedby). */
export function TextField({
  label,
  help,
  error,
  className = '',
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; help?: ReactNode; error?: string | null }) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className={`flex flex-col text-sm ${className}`}>
      <label htmlFor={id} className="font-semibold">
        {label}
      </label>
      <input
        id={id}
        className={INPUT_CLASS}
        aria-invalid={error ? true : undefined}
        aria-describedby={help || error ? helpId : undefined}
        {...props}
      />
      <Help id={helpId} help={help} error={error ?? null} />
    </div>
  );
}

export function SelectField({
  label,
  help,
  className = '',
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; help?: ReactNode }) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className={`flex flex-col text-sm ${className}`}>
      <label htmlFor={id} className="font-semibold">
        {label}
      </label>
      <select id={id} className={INPUT_CLASS} aria-describedby={help ? helpId : undefined} {...props}>
        {children}
      </select>
      <Help id={helpId} help={help} />
    </div>
  );
}
