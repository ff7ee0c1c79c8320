import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findCsesLeftovers,
  readServiceFile,
  removeCertificate,
  removeCsesLeftovers,
  checkServiceConsistency,
  setCsdefCertificate,
} from './index';

const DIR = process.env.REAL_WORLD_FIXTURES ?? '/work/shared/fixtures/real-world';
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

function removedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  let j = 0;
  for (const line of a) {
    if (j < b.length && line === b[j]) j++;
    else out.push(line);
  }
  expect(j).toBe(b.length);
  return out;
}

describe('removeCsesLeftovers', () => {
  it('nugetgallery .cscfg: removes the RemoteAccess/RemoteForwarder settings and certificate lines only', () => {
    const text = read('nugetgallery.base.cscfg');
    const res = removeCsesLeftovers(text);
    expect(res.removed.length).toBe(6);
    expect(findCsesLeftovers(res.text)).toEqual([]);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const gone = removedLines(text, res.text);
    expect(gone).toHaveLength(6);
    for (const l of gone) expect(l).toMatch(/Microsoft\.WindowsAzure\.Plugins\.Remote(Access|Forwarder)/);
    // The comment about the plugins and the other certificate stay.
    expect(res.text).toContain('<!-- Used by Diagnostics and Remote Access Plugins -->');
    expect(readServiceFile(res.text).roles[0]?.certificates.map((c) => c.name)).toEqual(['sslcertificate']);
  });

  it('nugetgallery .csdef: removes the two imports', () => {
    const text = read('nugetgallery.csdef');
    const res = removeCsesLeftovers(text);
    expect(removedLines(text, res.text)).toEqual([
      '      <Import moduleName="RemoteAccess" />',
      '      <Import moduleName="RemoteForwarder" />',
    ]);
    expect(readServiceFile(res.text).roles[0]?.imports.map((i) => i.moduleName)).toEqual(['Diagnostics']);
  });

  it('removes a container left empty, and leaves clean files alone', () => {
    const NS = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition';
    const text = `<ServiceDefinition name="s" xmlns="${NS}">\r\n  <WorkerRole name="W">\r\n    <Imports>\r\n      <Import moduleName="RemoteAccess" />\r\n    </Imports>\r\n    <Startup />\r\n  </WorkerRole>\r\n</ServiceDefinition>`;
    expect(removeCsesLeftovers(text).text).toBe(
      `<ServiceDefinition name="s" xmlns="${NS}">\r\n  <WorkerRole name="W">\r\n    <Startup />\r\n  </WorkerRole>\r\n</ServiceDefinition>`,
    );
    const clean = read('cqrs-journey.csdef');
    expect(removeCsesLeftovers(clean)).toMatchObject({ text: clean, removed: [] });
  });

  it('together with a .csdef fix, the nuget pair becomes consistent and CSES-clean', () => {
    const cfg = removeCsesLeftovers(read('nugetgallery.base.cscfg')).text;
    const def = setCsdefCertificate(removeCsesLeftovers(read('nugetgallery.csdef')).text, {
      role: 'Website',
      name: 'sslcertificate',
    }).text;
    expect(checkServiceConsistency(cfg, def).issues).toEqual([]);
    expect([...findCsesLeftovers(cfg), ...findCsesLeftovers(def)]).toEqual([]);
  });
});

describe('removeCertificate', () => {
  it('removes the line; an emptied <Certificates> goes too', () => {
    const text = read('cses-singlerole-certificate.cscfg');
    const res = removeCertificate(text, 'WebRole1', 'cert');
    expect(res.removed).toHaveLength(1);
    expect(res.text).toBe(
      text.replace(
        '    <Certificates>\r\n      <Certificate name="cert" thumbprint="3BFC4E04C034E21B852A8D18B4FF47955338FEE9" thumbprintAlgorithm="sha1" />\r\n    </Certificates>\r\n',
        '',
      ),
    );
    expect(removeCertificate(text, 'WebRole1', 'other')).toMatchObject({ text, removed: [] });
  });
});
