/** In-process tests of the dispatcher, the argument parser and the error line. */
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args';
import { CliError, errorLine } from './errors';
import type { CliIO } from './io';
import { main } from './main';

function fakeIO(stdin = '', opts: { stdoutThrows?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (s) => {
      if (opts.stdoutThrows) throw new Error('EPIPE: broken pipe');
      out.push(typeof s === 'string' ? s : new TextDecoder().decode(s));
    },
    stderr: (s) => {
      err.push(s);
    },
    readStdin: async () => new TextEncoder().encode(stdin),
    cwd: process.cwd(),
  };
  return { io, out, err };
}

describe('errorLine', () => {
  it('is one line with the code, message and action', () => {
    expect(errorLine('x-y', 'Bad thing.', 'Do this.')).toBe('cses-cert: error [x-y]: Bad thing. Do this.\n');
    expect(errorLine('x', 'No period', 'Act')).toBe('cses-cert: error [x]: No period. Act\n');
    expect(errorLine('x', 'multi\nline\r\nmessage', 'and\naction')).toBe(
      'cses-cert: error [x]: multi line message. and action\n',
    );
  });
});

describe('parseCliArgs', () => {
  const spec = {
    role: { type: 'string' as const, multiple: true },
    json: { type: 'boolean' as const },
    name: { type: 'string' as const },
    help: { type: 'boolean' as const, short: 'h' },
  };
  it('handles --a b, --a=b, flags, repeats, -- and positionals', () => {
    const p = parseCliArgs(
      ['x', '--role', 'A', '--role=B', '--json', '--name=a=b', '--', '--not-an-option'],
      spec,
      'u',
    );
    expect(p.options).toEqual({ role: ['A', 'B'], json: true, name: 'a=b' });
    expect(p.positionals).toEqual(['x', '--not-an-option']);
    expect(parseCliArgs(['-h'], spec, 'u').options.help).toBe(true);
    expect(parseCliArgs(['-'], spec, 'u').positionals).toEqual(['-']);
  });
  it('rejects unknown options, missing values, values for flags and repeated single options', () => {
    const code = (argv: string[]) => {
      try {
        parseCliArgs(argv, spec, 'u');
      } catch (e) {
        return (e as CliError).code;
      }
      return 'none';
    };
    expect(code(['--nope'])).toBe('unknown-option');
    expect(code(['-x'])).toBe('unknown-option');
    expect(code(['--name'])).toBe('missing-option-value');
    expect(code(['--name', '--json'])).toBe('missing-option-value');
    expect(code(['--json=yes'])).toBe('invalid-option-value');
    expect(code(['--name', 'a', '--name', 'b'])).toBe('invalid-option-value');
    expect(code(['--name=a', '--name', 'b'])).toBe('invalid-option-value');
    expect(code(['--nope=1'])).toBe('unknown-option');
  });
  it('keeps the documented messages', () => {
    const error = (argv: string[]) => {
      try {
        parseCliArgs(argv, spec, 'u');
      } catch (e) {
        return `${(e as CliError).message} ${(e as CliError).action}`;
      }
      return 'none';
    };
    expect(error(['--nope'])).toBe('Unknown option --nope. See: u');
    expect(error(['-x'])).toBe('Unknown option -x. See: u');
    expect(error(['--name'])).toBe('--name needs a value. Write --name VALUE. See: u');
    expect(error(['--json=yes'])).toBe('--json takes no value. Write --json alone.');
    expect(error(['--name', 'a', '--name=b'])).toBe('--name was given twice. Give --name once.');
  });
  it('takes a value that starts with a single dash, and -- as the end of options', () => {
    expect(parseCliArgs(['--name', '-'], spec, 'u').options.name).toBe('-');
    expect(parseCliArgs(['--name', '-x'], spec, 'u').options.name).toBe('-x');
    expect(parseCliArgs(['--', '--json'], spec, 'u')).toEqual({ options: {}, positionals: ['--json'] });
  });
});

describe('main', () => {
  it('turns unexpected failures into one internal-error line, never a stack', async () => {
    const { io, err } = fakeIO('', { stdoutThrows: true });
    const code = await main(['--help'], io);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^cses-cert: error \[internal-error\]: Unexpected failure: EPIPE: broken pipe\. Report this/,
    );
    expect(err[0]).not.toMatch(/\n./);
  });

  it('library errors keep their code; snippets work in-process', async () => {
    const a = fakeIO();
    expect(await main(['snippet', 'arm', '--vault-id', 'x', '--certificate-url', 'y'], a.io)).toBe(1);
    expect(a.err[0]).toMatch(/^cses-cert: error \[invalid-vault-id\]/);
    const b = fakeIO();
    const vaultId =
      '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1';
    expect(
      await main(
        [
          'snippet',
          'powershell',
          '--vault-id',
          vaultId,
          '--certificate-url',
          'https://kv1.vault.azure.net/secrets/c/0123456789abcdef0123456789abcdef',
        ],
        b.io,
      ),
    ).toBe(0);
    expect(b.out.join('')).toContain('New-AzCloudServiceVaultSecretGroupObject');
    expect(b.err).toEqual([]);
  });

  it('--version', async () => {
    const { io, out } = fakeIO();
    expect(await main(['--version'], io)).toBe(0);
    expect(out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
