'use client';

import { useState } from 'react';

/**
 * An error about what the user typed or chose (a wrong password, a file that cannot be imported, a name Key Vault
 * refused): shown while the inputs are the ones it was about, gone as soon as one of them changes (compared with
 * Object.is; a newly chosen File is a change). Set it from the handler that used the inputs: the handler's render
 * captured them, so an answer that arrives after the user moved on is not shown against the new inputs. `keep` marks
 * errors that are not about the inputs (a refusal of the user's rights), which stay until replaced.
 */
export function useInputError(
  inputs: readonly unknown[],
  keep?: (error: unknown) => boolean,
): [unknown, (error: unknown) => void] {
  const [held, setHeld] = useState<{ error: unknown; inputs: readonly unknown[] } | null>(null);
  const set = (error: unknown) => setHeld(error ? { error, inputs } : null);
  const current =
    held !== null &&
    (keep?.(held.error) ||
      (held.inputs.length === inputs.length && held.inputs.every((v, i) => Object.is(v, inputs[i]))));
  return [current ? held.error : null, set];
}
