'use client';

import { ApiError } from '@/lib/api/client';

/**
 * True for a refusal by the vault's data plane (a missing access-policy permission or RBAC role). Its advice (what to
 * ask for, one command) comes with the error and is shown by ErrorCallout.
 */
export function isCertificateRefusal(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.code === 'forbidden' &&
    (error.body.reason === 'ForbiddenByPolicy' ||
      error.body.reason === 'ForbiddenByRbac' ||
      error.body.message.startsWith('The access policies of') ||
      error.body.message.startsWith('Your Azure roles on'))
  );
}
