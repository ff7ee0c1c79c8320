'use client';

import { ApiError } from '@/lib/api/client';
import { isApiErrorBody } from '@/lib/errors';

/**
 * POSTs a form with upload progress (fetch has none). The form's bytes go only to our own API; nothing is kept.
 * `onProgress(fraction)` runs while uploading; `onUploaded()` once the server has everything and is working.
 */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  token: string,
  onProgress: (fraction: number) => void,
  onUploaded: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onUploaded();
    xhr.onerror = () =>
      reject(
        new ApiError(0, {
          code: 'azure_unavailable',
          message: 'The app server could not be reached.',
          action: 'Check your connection and retry. Your inputs are kept.',
        }),
      );
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else if (isApiErrorBody(data)) reject(new ApiError(xhr.status, data.error));
      else
        reject(
          new ApiError(xhr.status, {
            code: 'internal',
            message: `The server answered ${xhr.status}.`,
            action: 'Retry in a moment.',
          }),
        );
    };
    xhr.send(form);
  });
}
