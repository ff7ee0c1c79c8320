/**
 * What a file input accepts and how a chosen file is described: pure, for the shared FileDrop (components/ui). The
 * browser's picker filters by `accept` only as a hint, and a dropped file is not filtered at all, so the choice is
 * checked against the same list.
 */

/** The file name extensions in an `accept` attribute (`.pfx,.p12,application/x-pkcs12` → `.pfx`, `.p12`), lower case. */
export function acceptedExtensions(accept: string): string[] {
  return accept
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a.startsWith('.') && a.length > 1);
}

/** `.pfx, .p12` → "a .pfx or .p12 file"; three or more: "a .pem, .crt or .cer file". */
export function describeAccepted(accept: string): string {
  const ext = acceptedExtensions(accept);
  if (ext.length === 0) return 'a file';
  const list = ext.length === 1 ? ext[0]! : `${ext.slice(0, -1).join(', ')} or ${ext[ext.length - 1]!}`;
  return `a ${list} file`; // read "a dot xml file"
}

/** Why a file cannot be used here (wrong type, too large, empty), or null. Types are judged by name extension. */
export function fileChoiceProblem(
  file: { name: string; size: number },
  accept: string,
  maxBytes?: number,
): string | null {
  const ext = acceptedExtensions(accept);
  const lower = file.name.toLowerCase();
  if (ext.length > 0 && !ext.some((e) => lower.endsWith(e))) {
    return `${file.name} is not ${describeAccepted(accept)}. Choose ${describeAccepted(accept)}.`;
  }
  if (maxBytes !== undefined && file.size > maxBytes) {
    return `${file.name} is ${formatFileSize(file.size)}, more than the ${formatFileSize(maxBytes)} this takes.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return null;
}

/** 812 → "812 bytes"; 2563 → "2.5 KB"; 5 242 880 → "5 MB" (1 KB = 1024 bytes, as file managers show). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${shown} ${units[unit]!}`;
}
