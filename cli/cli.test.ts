/**
 * Spawns the real command (node bin/cses-cert.mjs) and checks stdout, stderr and exit codes.
 */
import { describe, expect, it, beforeAll, afterAll, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { readServiceFile } from '../lib/service-config';
import { expectOneErrorLine as expectStderrLine } from './run.test-support';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'cses-cert.mjs');
const FIX = process.env.REAL_WORLD_FIXTURES ?? '/work/shared/fixtures/real-world';
const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod`;
const URL = 'https://kv-contoso-prod.vault.azure.net/secrets/ssl-cert/0123456789abcdef0123456789abcdef';

// Each case spawns node + tsx (~0.5 s); give the multi-spawn tests room.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

interface Run {
  status: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

function cli(args: string[], input?: string | Buffer): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return {
    status: r.status,
    stdout: r.stdout.toString('utf8'),
    stdoutBytes: r.stdout,
    stderr: r.stderr.toString('utf8'),
  };
}

/** Same as cli(), without blocking, so lists of cases run in parallel. */
function cliAsync(args: string[], input?: string | Buffer): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) => {
      const stdoutBytes = Buffer.concat(out);
      resolveRun({
        status,
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(input ?? '');
  });
}

/** stderr must be exactly one line `cses-cert: error [code]: …` — never a stack trace. */
const expectOneErrorLine = (r: Run, code: string): void => expectStderrLine(r.stderr, code);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cses-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('help and usage', () => {
  it('--help for the command and every subcommand', async () => {
    const all = [
      ['--help'],
      ['help'],
      ['inspect', '--help'],
      ['cscfg', '--help'],
      ['cscfg', 'add', '--help'],
      ['cscfg', 'check', '--help'],
      ['csdef', '--help'],
      ['csdef', 'add', '-h'],
      ['cscfg', 'remove-leftovers', '--help'],
      ['cscfg', 'list', '--help'],
      ['csdef', 'list', '--help'],
      ['csdef', 'remove-leftovers', '--help'],
      ['snippet', '--help'],
    ];
    const runs = await Promise.all(all.map((args) => cliAsync(args)));
    for (const [k, args] of all.entries()) {
      const r = runs[k] as Run;
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage/);
      expect(r.stderr).toBe('');
    }
  });

  it('usage errors exit 1 with one line', async () => {
    const cases: Array<[string[], string]> = [
      [[], 'missing-argument'],
      [['frobnicate'], 'unknown-command'],
      [['cscfg'], 'missing-argument'],
      [['cscfg', 'remove'], 'unknown-command'],
      [['cscfg', 'add', '--role', 'A', '--name', 'n', join(FIX, 'cqrs-journey.cscfg')], 'missing-argument'],
      [['cscfg', 'add', '--role'], 'missing-option-value'],
      [['cscfg', 'add', '--bogus', 'x'], 'unknown-option'],
      [['cscfg', 'add', '--role', 'A', '--name', 'n', '--thumbprint', T, 'a', 'b'], 'too-many-arguments'],
      [['cscfg', 'add', '--role', 'A', '--name', 'n', '--thumbprint', T, join(dir, 'nope.cscfg')], 'file-not-found'],
      [['cscfg', 'check', join(FIX, 'cqrs-journey.cscfg')], 'missing-argument'],
      [['snippet', 'terraform', '--vault-id', VAULT_ID, '--certificate-url', URL], 'invalid-option-value'],
      [['cscfg', 'add', '--role', 'A', '--role', 'B'], 'invalid-option-value'],
    ];
    const runs = await Promise.all(cases.map(([args]) => cliAsync(args)));
    for (const [k, [args, code]] of cases.entries()) {
      const r = runs[k] as Run;
      expect(r.status, args.join(' ')).toBe(1);
      expectOneErrorLine(r, code);
    }
  });
});

describe('cscfg add / csdef add', () => {
  it('prints the patched file byte-for-byte (BOM, CRLF) on stdout', () => {
    const file = join(FIX, 'cses-singlerole-certificate.cscfg');
    const r = cli([
      'cscfg',
      'add',
      '--role',
      'WebRole1',
      '--name',
      'ssl',
      '--thumbprint',
      '\u200E3b fc 4e 04 c0 34 e2 1b 85 2a 8d 18 b4 ff 47 95 53 38 fe e9',
      file,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect([...r.stdoutBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const original = readFileSync(file, 'utf8');
    expect(r.stdout).toBe(
      original.replace(
        '    </Certificates>\r\n',
        `      <Certificate name="ssl" thumbprint="${T}" thumbprintAlgorithm="sha1" />\r\n    </Certificates>\r\n`,
      ),
    );
  });

  it('reads stdin for FILE "-"; --in-place with "-" is refused', () => {
    const input = readFileSync(join(FIX, 'cqrs-journey.csdef'));
    const r = cli(['csdef', 'add', '--role', 'WorkerRoleCommandProcessor', '--name', 'c', '-'], input);
    expect(r.status, r.stderr).toBe(0);
    expect(readServiceFile(r.stdout).roles[2]?.certificates[0]?.name).toBe('c');
    expect(r.stdoutBytes.subarray(0, 3).equals(input.subarray(0, 3))).toBe(true);
    const bad = cli(['csdef', 'add', '--role', 'WorkerRoleCommandProcessor', '--name', 'c', '--in-place', '-'], input);
    expect(bad.status).toBe(1);
    expectOneErrorLine(bad, 'invalid-option-value');
  });

  it('--in-place rewrites the file; running again changes nothing', () => {
    const file = join(dir, 'svc.cscfg');
    copyFileSync(join(FIX, 'cqrs-journey.cscfg'), file);
    const r = cli([
      'cscfg',
      'add',
      '--role',
      'WorkerRoleCommandProcessor',
      '--name',
      'ssl',
      '--thumbprint',
      T,
      '--in-place',
      file,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/added certificate "ssl" in role "WorkerRoleCommandProcessor"/);
    const after = readFileSync(file, 'utf8');
    expect(readServiceFile(after).roles[2]?.certificates[0]?.thumbprint).toBe(T);
    const again = cli([
      'cscfg',
      'add',
      '--role',
      'WorkerRoleCommandProcessor',
      '--name',
      'ssl',
      '--thumbprint',
      T,
      '--in-place',
      file,
    ]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already up to date/);
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('csdef add with store options', () => {
    const r = cli([
      'csdef',
      'add',
      '--role',
      'WorkerRole1',
      '--name',
      'ssl',
      '--store-location',
      'LocalMachine',
      '--store-name',
      'TrustedPeople',
      '--permission-level',
      'elevated',
      join(FIX, 'cses-multirole-rdp.csdef'),
    ]);
    expect(r.status).toBe(0);
    const role = readServiceFile(r.stdout).roles.find((x) => x.name === 'WorkerRole1');
    expect(role?.certificates[0]).toMatchObject({
      name: 'ssl',
      storeLocation: 'LocalMachine',
      storeName: 'TrustedPeople',
      permissionLevel: 'elevated',
    });
  });

  it('library errors become one line with their code, exit 1', async () => {
    const cfg = join(FIX, 'cqrs-journey.cscfg');
    const cases: Array<[string[], string]> = [
      [['cscfg', 'add', '--role', 'Nope', '--name', 'n', '--thumbprint', T, cfg], 'role-not-found'],
      [
        ['cscfg', 'add', '--role', 'Conference.Web.Admin', '--name', 'n', '--thumbprint', 'ABC', cfg],
        'invalid-thumbprint',
      ],
      [['csdef', 'add', '--role', 'Conference.Web.Admin', '--name', 'n', cfg], 'not-service-definition'],
      [
        [
          'csdef',
          'add',
          '--role',
          'Conference.Web.Admin',
          '--name',
          'n',
          '--store-location',
          'Mars',
          join(FIX, 'cqrs-journey.csdef'),
        ],
        'invalid-store-location',
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => cliAsync(args)));
    for (const [k, [args, code]] of cases.entries()) {
      const r = runs[k] as Run;
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expectOneErrorLine(r, code);
    }
    const bad = join(dir, 'bad.cscfg');
    writeFileSync(bad, '<ServiceConfiguration>\n  <Role name="a">\n</ServiceConfiguration>\n');
    const r = cli(['cscfg', 'add', '--role', 'a', '--name', 'n', '--thumbprint', T, bad]);
    expect(r.status).toBe(1);
    expectOneErrorLine(r, 'xml-parse-error');
    expect(r.stderr).toMatch(/line \d+, column \d+/);
    const utf16 = join(dir, 'utf16.cscfg');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a/>', 'utf16le')]));
    expectOneErrorLine(
      cli(['cscfg', 'add', '--role', 'a', '--name', 'n', '--thumbprint', T, utf16]),
      'unsupported-encoding',
    );
  });
});

describe('list', () => {
  it('lists roles and certificates, text and JSON', async () => {
    const [t, j, wrong] = await Promise.all([
      cliAsync(['cscfg', 'list', join(FIX, 'nugetgallery.base.cscfg')]),
      cliAsync(['csdef', 'list', join(FIX, 'cses-singlerole-certificate.csdef'), '--json']),
      cliAsync(['csdef', 'list', join(FIX, 'cses-singlerole-certificate.cscfg')]),
    ]);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('Role Website');
    expect(t.stdout).toContain('  sslcertificate  (no thumbprint)');
    expect(JSON.parse(j.stdout)).toEqual({
      kind: 'csdef',
      serviceName: 'contosocssinglerolecertificate',
      roles: [
        {
          name: 'WebRole1',
          type: 'WebRole',
          certificates: [
            {
              name: 'cert',
              storeLocation: 'LocalMachine',
              storeName: 'My',
              permissionLevel: null,
              line: 24,
              column: 7,
            },
          ],
        },
      ],
    });
    expect(wrong.status).toBe(1);
    expectOneErrorLine(wrong, 'not-service-definition');
  });
});

describe('remove-leftovers', () => {
  it('prints the cleaned file; --in-place lists what went', () => {
    const r = cli(['csdef', 'remove-leftovers', join(FIX, 'nugetgallery.csdef')]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('RemoteAccess');
    expect([...r.stdoutBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const file = join(dir, 'nuget.cscfg');
    copyFileSync(join(FIX, 'nugetgallery.base.cscfg'), file);
    const ip = cli(['cscfg', 'remove-leftovers', '--in-place', file]);
    expect(ip.status).toBe(0);
    expect(ip.stdout).toMatch(/removed 6 item/);
    expect(readFileSync(file, 'utf8')).not.toContain('Plugins.RemoteAccess');
    expectOneErrorLine(cli(['cscfg', 'remove-leftovers', join(FIX, 'nugetgallery.csdef')]), 'invalid-option-value');
  });
});

describe('cscfg check', () => {
  it('exit 0 when every thumbprint is found', () => {
    const r = cli([
      'cscfg',
      'check',
      join(FIX, 'cses-singlerole-certificate.cscfg'),
      '--thumbprints',
      `${T.toLowerCase()},ABCDEF`,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^FOUND\s+WebRole1\/cert\s+3BFC/m);
    expect(r.stderr).toBe('');
  });

  it('exit 2 on a miss, with the near-miss diff', () => {
    const typo = T.slice(0, 39) + '0';
    const r = cli(['cscfg', 'check', join(FIX, 'cses-singlerole-certificate.cscfg'), '--thumbprints', typo]);
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^MISSING\s+WebRole1\/cert/m);
    expect(r.stdout).toMatch(/position 40 is "9", expected "0"/);
    expectOneErrorLine(r, 'check-failed');
  });

  it('--json carries status codes; leftovers and --csdef consistency make it fail', () => {
    const r = cli([
      'cscfg',
      'check',
      join(FIX, 'nugetgallery.base.cscfg'),
      '--thumbprints',
      T,
      '--csdef',
      join(FIX, 'nugetgallery.csdef'),
      '--json',
    ]);
    expect(r.status).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.certificates.map((c: { name: string; status: string }) => `${c.name}:${c.status}`)).toEqual([
      'sslcertificate:malformed',
    ]);
    expect(j.skipped.map((c: { reason: string }) => c.reason)).toEqual(['remote-access-certificate']);
    expect(j.leftovers.map((i: { code: string }) => i.code)).toContain('remote-access-certificate');
    expect(j.leftovers.map((i: { code: string }) => i.code)).toContain('remote-access-import');
    expect(j.consistency.map((i: { code: string }) => i.code)).toContain('endpoint-certificate-undefined');
    expectOneErrorLine(r, 'check-failed');
  });

  it('a file without certificates fails the check', () => {
    const r = cli(['cscfg', 'check', join(FIX, 'cqrs-journey.cscfg'), '--thumbprints', T]);
    expect(r.status).toBe(2);
    expectOneErrorLine(r, 'no-certificates');
  });
});

describe('snippet', () => {
  it('arm, vmss: JSON on stdout', () => {
    const arm = cli(['snippet', 'arm', '--vault-id', VAULT_ID, '--certificate-url', URL]);
    expect(arm.status).toBe(0);
    expect(JSON.parse(arm.stdout).properties.osProfile.secrets[0]).toEqual({
      sourceVault: { id: VAULT_ID },
      vaultCertificates: [{ certificateUrl: URL }],
    });
    const vmss = cli(['snippet', 'vmss', '--vault-id', VAULT_ID, '--certificate-url', URL, '--store-name', 'My']);
    expect(
      JSON.parse(vmss.stdout).properties.virtualMachineProfile.osProfile.secrets[0].vaultCertificates[0]
        .certificateStore,
    ).toBe('My');
  });

  it('bicep, az, powershell, cscfg, csdef', () => {
    for (const kind of ['bicep', 'az', 'powershell']) {
      const r = cli(['snippet', kind, '--vault-id', VAULT_ID, '--certificate-url', URL]);
      expect(r.status, kind).toBe(0);
      expect(r.stdout).toContain(URL);
    }
    const cscfg = cli([
      'snippet',
      'cscfg',
      '--vault-id',
      VAULT_ID,
      '--certificate-url',
      URL,
      '--thumbprint',
      T,
      '--role',
      'WebRole1',
      '--role',
      'WorkerRole1',
    ]);
    expect(cscfg.status).toBe(0);
    expect(cscfg.stdout.match(/<Role name=/g)).toHaveLength(2);
  });

  it('a /certificates/ url is refused with a clear code', () => {
    const r = cli([
      'snippet',
      'arm',
      '--vault-id',
      VAULT_ID,
      '--certificate-url',
      URL.replace('/secrets/', '/certificates/'),
    ]);
    expect(r.status).toBe(1);
    expectOneErrorLine(r, 'certificate-url-not-secret');
    expect(r.stderr).toMatch(/Secret Identifier/);
    expectOneErrorLine(cli(['snippet', 'arm', '--vault-id', 'kv', '--certificate-url', URL]), 'invalid-vault-id');
  });
});

// ------------------------------------------------------------------------------------------ inspect
const certsAvailable = existsSync(join(ROOT, 'lib', 'certs', 'index.ts'));

describe.skipIf(!certsAvailable)('inspect (over lib/certs)', () => {
  let pfx: string;
  let pem: string;
  let thumbprint: string;
  const password = 'Pa55-wörd';

  beforeAll(() => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01a2b3';
    const now = new Date();
    cert.validity.notBefore = new Date(now.getTime() - 86_400_000);
    cert.validity.notAfter = new Date(now.getTime() + 365 * 86_400_000);
    const attrs = [{ name: 'commonName', value: 'cli-test.example' }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'cli-test.example' }] },
    ]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
    thumbprint = forge.md.sha1.create().update(der).digest().toHex().toUpperCase();
    const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], password, { algorithm: '3des' });
    pfx = join(dir, 'test.pfx');
    writeFileSync(pfx, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
    pem = join(dir, 'test.pem');
    writeFileSync(pem, forge.pki.certificateToPem(cert) + forge.pki.privateKeyToPem(keys.privateKey));
  });

  it('exit 0 and the thumbprint for an importable PFX (password from stdin, trailing newline dropped)', () => {
    const r = cli(['inspect', pfx, '--password-stdin', '--json'], `${password}\n`);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.importable).toBe(true);
    expect(j.thumbprint).toBe(thumbprint);
    expect(j.errors).toEqual([]);
    expect(Array.isArray(j.findings)).toBe(true);
    for (const f of j.findings) expect(typeof f.code).toBe('string');
    const text = cli(['inspect', pfx, '--password-stdin'], password);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`Thumbprint (SHA-1): ${thumbprint}`);
  });

  it('exit 2 with wrong-password', () => {
    const r = cli(['inspect', pfx, '--password-stdin', '--json'], 'nope');
    expect(r.status, r.stderr + r.stdout.slice(0, 800)).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.importable).toBe(false);
    expect(j.errors.map((e: { code: string }) => e.code)).toContain('wrong-password');
    expectOneErrorLine(r, 'wrong-password');
  });

  it('exit 2 with not-pkcs12 for PEM, still reporting the thumbprint', () => {
    const r = cli(['inspect', pem, '--json']);
    expect(r.status).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.errors[0].code).toBe('not-pkcs12');
    expect(j.thumbprint).toBe(thumbprint);
  });

  it('exit 2 with empty-file', () => {
    const empty = join(dir, 'empty.pfx');
    writeFileSync(empty, '');
    const r = cli(['inspect', empty, '--json']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).errors[0].code).toBe('empty-file');
  });

  it('exit 1 for a missing file', () => {
    const r = cli(['inspect', join(dir, 'missing.pfx')]);
    expect(r.status).toBe(1);
    expectOneErrorLine(r, 'file-not-found');
  });
});
