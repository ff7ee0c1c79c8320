'use client';

import { useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { fileChoiceProblem, formatFileSize } from '@/lib/wizard/file-choice';

/** A file as the caller holds it: shown by name and size. */
export interface ChosenFile {
  name: string;
  size: number;
}

/**
 * The one file input of the app: a labelled drop zone whose native input stays in the page (focusable, opened with
 * Enter or Space, and by the "Choose…" button, which is its label) but is drawn as the button. Dropped and chosen
 * files are checked against `accept` (by extension) and `maxBytes`; a refused choice says why here and leaves the
 * caller's files as they were. The error shown is about the latest choice only: choosing again clears it.
 */
export function FileDrop({
  id,
  label,
  help,
  accept,
  multiple = false,
  maxBytes,
  chosen,
  onFiles,
  error = null,
  testId = 'drop-zone',
}: {
  /** The input's id (for a page that links to it); one is made up otherwise. */
  id?: string;
  label: string;
  help?: ReactNode;
  /** As the input's `accept`: extensions (checked) and MIME types (a hint for the picker). */
  accept: string;
  multiple?: boolean;
  maxBytes?: number;
  /** What the caller holds now. */
  chosen: ReadonlyArray<ChosenFile>;
  /** The accepted files, or [] when removed. Not called for a refused choice. */
  onFiles: (files: File[]) => void;
  /** The caller's word on the chosen file (e.g. it could not be read); shown like a refusal. */
  error?: string | null;
  testId?: string;
}) {
  const made = useId();
  const inputId = id ?? `${made}-file`;
  const labelId = `${inputId}-label`;
  const helpId = `${inputId}-help`;
  const statusId = `${inputId}-status`;
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const shownError = problem ?? error;

  const take = (list: File[]) => {
    if (list.length === 0) return;
    if (!multiple && list.length > 1) {
      setProblem(`Drop one file here, not ${list.length}.`);
      return;
    }
    const refused = list.map((f) => fileChoiceProblem(f, accept, maxBytes)).find((p) => p !== null);
    if (refused) {
      setProblem(refused);
      if (input.current) input.current.value = '';
      return;
    }
    setProblem(null);
    onFiles(list);
  };

  const clear = () => {
    setProblem(null);
    if (input.current) input.current.value = '';
    onFiles([]);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    take(Array.from(e.dataTransfer.files));
  };
  const names = chosen.map((f) => f.name).join(', ');

  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`flex flex-col gap-2 rounded border-2 border-dashed p-4 text-sm focus-within:border-azure-500 ${
        dragging
          ? 'border-azure-500 bg-azure-50 dark:bg-azure-900/30'
          : shownError
            ? 'border-red-600 dark:border-red-400'
            : 'border-neutral-400 dark:border-neutral-600'
      }`}
      data-testid={testId}
    >
      <label id={labelId} htmlFor={inputId} className="font-semibold">
        {label}
      </label>
      {help && (
        <span id={helpId} className="text-neutral-700 dark:text-neutral-300">
          {help}
        </span>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <input
          ref={input}
          id={inputId}
          type="file"
          accept={accept}
          multiple={multiple}
          className="peer sr-only"
          aria-labelledby={labelId}
          aria-describedby={help ? `${helpId} ${statusId}` : statusId}
          aria-invalid={shownError ? true : undefined}
          onChange={(e) => take(Array.from(e.target.files ?? []))}
        />
        {/* The input's second label, drawn as its button: a click opens the picker; hidden from the name. */}
        <label
          htmlFor={inputId}
          aria-hidden="true"
          className="cursor-pointer rounded border border-neutral-500 bg-white px-3 py-1 font-semibold text-neutral-900 hover:bg-neutral-100 peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-azure-500 dark:bg-neutral-900 dark:text-neutral-100 dark:hover:bg-neutral-800"
        >
          {chosen.length > 0
            ? multiple
              ? 'Choose other files…'
              : 'Choose another file…'
            : multiple
              ? 'Choose files…'
              : 'Choose a file…'}
        </label>
        <span className="text-neutral-700 dark:text-neutral-300">or drop {multiple ? 'them' : 'it'} here</span>
      </div>
      <div id={statusId} aria-live="polite" className="space-y-1">
        {chosen.length === 0 && <span className="sr-only">No file chosen.</span>}
        {chosen.map((f, i) => (
          <p key={`${f.name}-${i}`} className="text-xs" data-testid="chosen-file">
            Chosen: <strong className="break-all">{f.name}</strong> ({formatFileSize(f.size)})
          </p>
        ))}
        {shownError && (
          <p className="font-semibold text-red-700 dark:text-red-300" data-testid="file-error">
            {shownError}
          </p>
        )}
      </div>
      {chosen.length > 0 && (
        <div>
          <button
            type="button"
            onClick={clear}
            aria-label={`Remove ${names}`}
            className="rounded border border-neutral-400 px-2 py-0.5 text-xs font-semibold hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800"
          >
            Remove
          </button>
        </div>
      )}
    </div>
  );
}
