'use client';

/** Saves text as a file (built in the browser; nothing is sent anywhere). */
export function DownloadButton({
  filename,
  text,
  label,
  mime = 'text/plain',
  testId,
}: {
  filename: string;
  text: string;
  label?: string;
  mime?: string;
  testId?: string;
}) {
  const save = () => {
    const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <button
      type="button"
      onClick={save}
      data-testid={testId}
      className="rounded border border-neutral-500 px-2 py-0.5 text-xs font-semibold hover:bg-neutral-100 dark:hover:bg-neutral-800"
    >
      {label ?? `Download ${filename}`}
    </button>
  );
}
