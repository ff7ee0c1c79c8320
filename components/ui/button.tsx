import type { ButtonHTMLAttributes } from 'react';

const VARIANTS = {
  primary:
    'bg-azure-500 text-white hover:bg-azure-600 disabled:bg-neutral-300 disabled:text-neutral-600 dark:disabled:bg-neutral-700 dark:disabled:text-neutral-400',
  secondary:
    'border border-neutral-400 bg-white text-neutral-900 hover:bg-neutral-100 disabled:opacity-50 dark:border-neutral-600 dark:bg-neutral-900 dark:text-neutral-100 dark:hover:bg-neutral-800',
} as const;

export function Button({
  variant = 'primary',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof VARIANTS }) {
  return (
    <button
      type="button"
      {...props}
      className={`inline-flex items-center justify-center gap-2 rounded px-4 py-1.5 text-sm font-semibold ${VARIANTS[variant]} ${className}`}
    />
  );
}
