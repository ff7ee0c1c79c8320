/** File and stream I/O for the command line (Node only). */
import { readFile, rename, stat, writeFile, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors';

export interface CliIO {
  stdout: (s: string | Uint8Array) => void;
  stderr: (s: string) => void;
  /** Everything on stdin (only called when a command asks for it). */
  readStdin: () => Promise<Uint8Array>;
  cwd: string;
}

function fsError(e: unknown, file: string, writing = false): CliError {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT' && !writing) {
    return new CliError(
      'file-not-found',
      `File not found: ${file}.`,
      'Check the path (relative paths are from the current directory).',
    );
  }
  if (code === 'EISDIR') {
    return new CliError('file-unreadable', `${file} is a directory.`, 'Give the path of a file.');
  }
  if (writing) {
    return new CliError(
      'file-not-writable',
      `Cannot write ${file} (${code ?? 'error'}).`,
      'Check that the file and its folder are writable, or write to stdout instead of --in-place.',
    );
  }
  return new CliError('file-unreadable', `Cannot read ${file} (${code ?? 'error'}).`, 'Check the file permissions.');
}

/** Read at most `limit` bytes (+1, so callers can tell the file was larger). `-` reads stdin. */
export async function readBytes(file: string, limit = 64 * 1024 * 1024, io?: CliIO): Promise<Uint8Array> {
  if (file === '-' && io) {
    try {
      const all = await io.readStdin();
      return all.length > limit + 1 ? all.subarray(0, limit + 1) : all;
    } catch {
      throw new CliError(
        'stdin-unavailable',
        'Could not read the input from stdin.',
        'Pipe the file in, or give its path.',
      );
    }
  }
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    if (st.size <= limit) return new Uint8Array(await readFile(file));
    const fh = await open(file, 'r');
    try {
      const buf = new Uint8Array(limit + 1);
      const { bytesRead } = await fh.read(buf, 0, limit + 1, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fsError(e, file);
  }
}

/** Read a text file as UTF-8, keeping a BOM (as U+FEFF) so it can be written back byte-for-byte. */
export async function readText(file: string, io?: CliIO): Promise<string> {
  const bytes = await readBytes(file, 16 * 1024 * 1024, io);
  return decodeUtf8(bytes, file === '-' ? 'stdin' : file);
}

export function decodeUtf8(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CliError(
      'unsupported-encoding',
      `${file} is UTF-16 encoded.`,
      'Save it as UTF-8 (Visual Studio: File → Save As → Save with Encoding → UTF-8) and try again.',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CliError('unsupported-encoding', `${file} is not valid UTF-8.`, 'Save the file as UTF-8 and try again.');
  }
}

/** Replace a file atomically (write a temporary file next to it, then rename). */
export async function writeTextAtomic(file: string, text: string): Promise<void> {
  if (file === '-') {
    throw new CliError(
      'invalid-option-value',
      '--in-place cannot be used with stdin (-).',
      'Give a file path, or drop --in-place to print the result.',
    );
  }
  const tmp = join(dirname(file), `.${basename(file)}.cses-cert-${process.pid}.tmp`);
  try {
    let mode: number | undefined;
    try {
      mode = (await stat(file)).mode & 0o777;
    } catch {
      mode = undefined;
    }
    await writeFile(tmp, text, mode !== undefined ? { encoding: 'utf8', mode } : { encoding: 'utf8' });
    await rename(tmp, file);
  } catch (e) {
    throw fsError(e, file, true);
  }
}
