/**
 * Every real-world file in ../shared/fixtures/real-world/ (BOMs, CRLF and LF): read, patch, round-trip.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCscfgThumbprints,
  checkServiceConsistency,
  findCsesLeftovers,
  readServiceFile,
  setCscfgCertificate,
  setCsdefCertificate,
  setServiceCertificate,
} from './index';

const DIR = process.env.REAL_WORLD_FIXTURES ?? '/work/shared/fixtures/real-world';
const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const T2 = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';

const files = readdirSync(DIR).filter((f) => f.endsWith('.cscfg') || f.endsWith('.csdef'));
const pairs = [
  { name: 'cqrs-journey', cscfg: 'cqrs-journey.cscfg', csdef: 'cqrs-journey.csdef' },
  { name: 'cses-multirole-rdp', cscfg: 'cses-multirole-rdp.cscfg', csdef: 'cses-multirole-rdp.csdef' },
  {
    name: 'cses-singlerole-certificate',
    cscfg: 'cses-singlerole-certificate.cscfg',
    csdef: 'cses-singlerole-certificate.csdef',
  },
  { name: 'nugetgallery', cscfg: 'nugetgallery.base.cscfg', csdef: 'nugetgallery.csdef' },
];

function read(f: string): string {
  return readFileSync(join(DIR, f), 'utf8');
}

/** The part of `after` that differs from `before`: [common prefix, removed, inserted]. */
function delta(before: string, after: string): { prefix: number; removed: string; inserted: string } {
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s])
    s++;
  return { prefix: p, removed: before.slice(p, before.length - s), inserted: after.slice(p, after.length - s) };
}

/** Lines of `after` that are not (in order) lines of `before`; fails if a line of `before` is missing. */
function extraLines(before: string[], after: string[]): string[] {
  const extra: string[] = [];
  let i = 0;
  for (const line of after) {
    if (i < before.length && line === before[i]) i++;
    else extra.push(line);
  }
  expect(i).toBe(before.length);
  return extra;
}

function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function assertNewlines(inserted: string, nl: string): void {
  if (nl === '\r\n') expect(inserted.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  else expect(inserted).not.toContain('\r');
}

it('finds all fixtures', () => {
  expect(files.length).toBe(8);
  for (const p of pairs) {
    expect(files).toContain(p.cscfg);
    expect(files).toContain(p.csdef);
  }
});

describe.each(files)('%s', (file) => {
  const text = read(file);
  const kind = file.endsWith('.cscfg') ? 'cscfg' : 'csdef';

  it('reads kind, roles, BOM and newline style', () => {
    const info = readServiceFile(text);
    expect(info.kind).toBe(kind);
    expect(info.bom).toBe(text.charCodeAt(0) === 0xfeff);
    expect(info.bom).toBe(true);
    expect(info.newline).toBe(newlineOf(text));
    expect(info.namespaceOk).toBe(true);
    expect(info.roles.length).toBeGreaterThan(0);
    for (const r of info.roles) expect(r.name.length).toBeGreaterThan(0);
  });

  it('adds a certificate to every role, changing only the inserted lines', () => {
    const info = readServiceFile(text);
    for (const role of info.roles) {
      const res =
        kind === 'cscfg'
          ? setCscfgCertificate(text, { role: role.name, name: 'wizard-cert', thumbprint: T })
          : setCsdefCertificate(text, { role: role.name, name: 'wizard-cert' });
      expect(res.action).toBe('added');
      expect(res.text.charCodeAt(0)).toBe(0xfeff);
      const d = delta(text, res.text);
      expect(d.removed).toBe('');
      assertNewlines(d.inserted, newlineOf(text));
      expect(d.inserted).toContain('wizard-cert');
      // Only whole lines were inserted: the insertion starts with a newline or ends just before indentation.
      const after = readServiceFile(res.text);
      const r = after.roles.find((x) => x.name === role.name);
      expect(r?.certificates.map((c) => c.name)).toEqual([...role.certificates.map((c) => c.name), 'wizard-cert']);
      // Every other role unchanged.
      for (const other of after.roles.filter((x) => x.name !== role.name)) {
        const before = info.roles.find((x) => x.name === other.name);
        expect(other.certificates.map((c) => c.name)).toEqual(before?.certificates.map((c) => c.name));
      }
      // Idempotent.
      const again =
        kind === 'cscfg'
          ? setCscfgCertificate(res.text, { role: role.name, name: 'wizard-cert', thumbprint: T.toLowerCase() })
          : setCsdefCertificate(res.text, { role: role.name, name: 'wizard-cert', storeName: 'my' });
      expect(again.action).toBe('unchanged');
      expect(again.text).toBe(res.text);
      // The input's lines, in order, are all in the output; the added lines are only the certificate ones.
      const nl = newlineOf(text);
      const added = extraLines(text.split(nl), res.text.split(nl));
      expect(added.length).toBeGreaterThan(0);
      for (const line of added) expect(line).toMatch(/^ *<\/?Certificates>$|^ *<Certificate name="wizard-cert" .*\/>$/);
    }
  });
});

describe('real-world pairs', () => {
  it.each(pairs)('$name: patches .cscfg and .csdef together and they stay consistent', ({ cscfg, csdef }) => {
    const cfgText = read(cscfg);
    const defText = read(csdef);
    const before = checkServiceConsistency(cfgText, defText);
    const roles = readServiceFile(cfgText).roles.map((r) => r.name);
    let a = cfgText;
    let b = defText;
    for (const role of roles) {
      const out = setServiceCertificate({ cscfg: a, csdef: b, role, name: 'SslCert', thumbprint: T });
      a = out.cscfg.text;
      b = out.csdef.text;
    }
    const after = checkServiceConsistency(a, b);
    // No new issue about SslCert; pre-existing issues (if any) are unchanged.
    expect(after.issues.filter((i) => i.certificate === 'SslCert')).toEqual([]);
    expect(after.issues.map((i) => i.code)).toEqual(before.issues.map((i) => i.code));
    expect(a.charCodeAt(0)).toBe(0xfeff);
    expect(b.charCodeAt(0)).toBe(0xfeff);
  });

  it('cses-singlerole-certificate: replaces the existing certificate in place, byte-for-byte elsewhere', () => {
    const text = read('cses-singlerole-certificate.cscfg');
    const res = setCscfgCertificate(text, { role: 'WebRole1', name: 'cert', thumbprint: T2 });
    expect(res.action).toBe('replaced');
    const d = delta(text, res.text);
    // Only the thumbprint value changed.
    expect(d.removed.length).toBeLessThanOrEqual(40);
    expect(T2).toContain(d.inserted);
    expect(readServiceFile(res.text).roles[0]?.certificates[0]?.thumbprint).toBe(T2);
    // Same thumbprint: unchanged, identical text.
    const same = setCscfgCertificate(text, {
      role: 'WebRole1',
      name: 'cert',
      thumbprint: '3b fc 4e 04 c0 34 e2 1b 85 2a 8d 18 b4 ff 47 95 53 38 fe e9',
    });
    expect(same.action).toBe('unchanged');
    expect(same.text).toBe(text);
  });

  it('cses-singlerole-certificate.csdef: replaces the store, keeps the rest', () => {
    const text = read('cses-singlerole-certificate.csdef');
    expect(setCsdefCertificate(text, { role: 'WebRole1', name: 'cert' }).action).toBe('unchanged');
    const res = setCsdefCertificate(text, { role: 'WebRole1', name: 'cert', storeName: 'TrustedPeople' });
    expect(res.action).toBe('replaced');
    const d = delta(text, res.text);
    expect(d.removed).not.toContain('\n');
    expect(readServiceFile(res.text).roles[0]?.certificates[0]?.storeName).toBe('TrustedPeople');
  });

  it('inserts <Certificates> after <ConfigurationSettings> (cqrs) and after <Instances> (multirole)', () => {
    const cqrs = setCscfgCertificate(read('cqrs-journey.cscfg'), {
      role: 'Conference.Web.Admin',
      name: 'c',
      thumbprint: T,
    });
    expect(cqrs.createdCertificatesElement).toBe(true);
    expect(cqrs.text).toContain(
      '    </ConfigurationSettings>\r\n    <Certificates>\r\n      <Certificate name="c" thumbprint="' +
        T +
        '" thumbprintAlgorithm="sha1" />\r\n    </Certificates>\r\n  </Role>\r\n  <Role name="Conference.Web.Public">',
    );
    const rdp = setCscfgCertificate(read('cses-multirole-rdp.cscfg'), { role: 'WebRole1', name: 'c', thumbprint: T });
    expect(rdp.text).toContain(
      '  <Role name="WebRole1">\n    <Instances count="1" />\n    <Certificates>\n      <Certificate name="c" thumbprint="' +
        T +
        '" thumbprintAlgorithm="sha1" />\n    </Certificates>\n  </Role>\n',
    );
  });

  it('csdef: after <ConfigurationSettings>, else after <Endpoints>, else before the first child', () => {
    const cqrs = setCsdefCertificate(read('cqrs-journey.csdef'), { role: 'Conference.Web.Admin', name: 'c' });
    expect(cqrs.text).toContain('    </ConfigurationSettings>\r\n    <Certificates>\r\n');
    const rdpWeb = setCsdefCertificate(read('cses-multirole-rdp.csdef'), { role: 'WebRole1', name: 'c' });
    expect(rdpWeb.text).toContain(
      '    </Endpoints>\n    <Certificates>\n      <Certificate name="c" storeLocation="LocalMachine" storeName="My" />\n    </Certificates>\n    <Contents>',
    );
    const rdpWorker = setCsdefCertificate(read('cses-multirole-rdp.csdef'), { role: 'WorkerRole1', name: 'c' });
    expect(rdpWorker.text).toContain(
      '  <WorkerRole name="WorkerRole1" vmsize="Standard_D1_v2">\n    <Certificates>\n      <Certificate name="c" storeLocation="LocalMachine" storeName="My" />\n    </Certificates>\n    <Contents>',
    );
  });

  it('nugetgallery: adds next to the existing certificates, keeps comments and blank lines', () => {
    const text = read('nugetgallery.base.cscfg');
    const res = setCscfgCertificate(text, { role: 'Website', name: 'sslcertificate', thumbprint: T });
    expect(res.action).toBe('replaced');
    expect(delta(text, res.text).removed).toBe('');
    const info = readServiceFile(res.text);
    expect(info.roles[0]?.certificates.find((c) => c.name === 'sslcertificate')?.thumbprint).toBe(T);
  });

  it('nugetgallery: flags the RemoteAccess/RemoteForwarder leftovers in both files', () => {
    const cfg = findCsesLeftovers(read('nugetgallery.base.cscfg'));
    expect(cfg.filter((i) => i.code === 'remote-access-certificate')).toHaveLength(1);
    expect(cfg.filter((i) => i.code === 'remote-access-setting').map((i) => i.line)).toEqual([8, 9, 10, 11, 12]);
    const def = findCsesLeftovers(read('nugetgallery.csdef'));
    expect(def.map((i) => i.code).sort()).toEqual(['remote-access-import', 'remote-forwarder-import']);
    for (const f of files.filter((x) => !x.startsWith('nugetgallery'))) expect(findCsesLeftovers(read(f))).toEqual([]);
  });

  it('nugetgallery: the thumbprint check skips the RemoteAccess certificate (a leftover to remove)', () => {
    const r = checkCscfgThumbprints(read('nugetgallery.base.cscfg'), []);
    expect(r.certificates.map((c) => `${c.name}:${c.status}`)).toEqual(['sslcertificate:malformed']);
    expect(r.skipped).toEqual([
      {
        role: 'Website',
        name: 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption',
        reason: 'remote-access-certificate',
        line: 56,
        column: 7,
      },
    ]);
  });

  it('nugetgallery: consistency finds the https endpoint certificate that the .csdef lacks', () => {
    const r = checkServiceConsistency(read('nugetgallery.base.cscfg'), read('nugetgallery.csdef'));
    expect(r.ok).toBe(false);
    const codes = r.issues.map((i) => `${i.code}:${i.certificate ?? ''}`);
    expect(codes).toContain('certificate-missing-in-csdef:sslcertificate');
    expect(codes).toContain('endpoint-certificate-undefined:sslcertificate');
    // The RemoteAccess certificate is a leftover, not a consistency issue.
    expect(codes.some((c) => c.includes('RemoteAccess'))).toBe(false);
    // Patching the .csdef fixes both.
    const fixed = setCsdefCertificate(read('nugetgallery.csdef'), { role: 'Website', name: 'sslcertificate' });
    const r2 = checkServiceConsistency(read('nugetgallery.base.cscfg'), fixed.text);
    expect(r2.issues).toEqual([]);
    expect(r2.ok).toBe(true);
  });

  it('the matching pairs are consistent', () => {
    for (const p of pairs.filter((x) => x.name !== 'nugetgallery')) {
      expect(checkServiceConsistency(read(p.cscfg), read(p.csdef)).issues, p.name).toEqual([]);
    }
  });
});
