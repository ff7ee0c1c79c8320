import { describe, expect, it } from 'vitest';
import {
  ServiceConfigError,
  checkCscfgThumbprints,
  checkServiceFiles,
  thumbprintToHex,
  checkServiceConsistency,
  listRoles,
  readServiceFile,
  setCscfgCertificate,
  setCsdefCertificate,
  vaultCertificatesFromThumbprints,
  type VaultCertificate,
} from './index';
import { parseXml } from './xml';

const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const T2 = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const NS = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration';
const NSD = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition';

function err(fn: () => unknown): ServiceConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceConfigError);
    return e as ServiceConfigError;
  }
  throw new Error('did not throw');
}

const cscfg = (roles: string, nl = '\n') =>
  [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<ServiceConfiguration serviceName="svc" xmlns="${NS}">`,
    roles,
    `</ServiceConfiguration>`,
  ].join(nl);

describe('parse errors', () => {
  it('reports bad XML with line and column, never a raw exception', () => {
    const e = err(() =>
      readServiceFile(
        '\uFEFF<?xml version="1.0"?>\r\n<ServiceConfiguration>\r\n  <Role name="a">\r\n</ServiceConfiguration>',
      ),
    );
    expect(e.code).toBe('xml-parse-error');
    // xmldom locates the mismatch at the unclosed <Role> (line 3) or the end tag (line 4).
    expect([3, 4]).toContain(e.line);
    expect(e.column).toBeGreaterThan(0);
    expect(e.message).toContain(`line ${e.line}`);
    expect(e.action.length).toBeGreaterThan(0);
  });

  it('unquoted attributes, stray & and junk after the root are errors too', () => {
    expect(err(() => parseXml('<a b=c/>')).code).toBe('xml-parse-error');
    const amp = err(() => parseXml('<a>\n  x & y</a>'));
    expect(amp).toMatchObject({ code: 'xml-parse-error', line: 2, column: 5 });
    expect(err(() => parseXml('<a b="x & y"/>')).column).toBe(9);
    expect(err(() => parseXml('<a b="&nbsp;"/>')).code).toBe('xml-parse-error');
    expect(
      parseXml('<a b="&amp;&#38;&#x26;\'">&lt;&gt;<!-- & --><![CDATA[ & ]]><?p & ?></a>').root.getAttribute('b'),
    ).toBe("&&&'");
    expect(err(() => parseXml('<a/><b/>')).code).toBe('xml-parse-error');
  });

  it('empty and whitespace-only files', () => {
    expect(err(() => readServiceFile('')).message).toBe('The file is empty.');
    expect(err(() => readServiceFile('\uFEFF  \r\n')).code).toBe('xml-parse-error');
  });

  it('other XML, and the wrong kind of service file', () => {
    expect(err(() => readServiceFile('<html/>')).code).toBe('unknown-file-kind');
    const csdef = `<ServiceDefinition name="s" xmlns="${NSD}"><WebRole name="W"/></ServiceDefinition>`;
    expect(err(() => setCscfgCertificate(csdef, { role: 'W', name: 'c', thumbprint: T })).code).toBe(
      'not-service-configuration',
    );
    expect(
      err(() => setCsdefCertificate(cscfg('<Role name="W"><Instances count="1"/></Role>'), { role: 'W', name: 'c' }))
        .code,
    ).toBe('not-service-definition');
  });
});

describe('patching edge cases', () => {
  it('self-closing role', () => {
    const text = cscfg('  <Role name="A" />');
    const res = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T });
    expect(res.text).toBe(
      cscfg(
        `  <Role name="A">\n    <Certificates>\n      <Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1" />\n    </Certificates>\n  </Role>`,
      ),
    );
  });

  it('empty role with only whitespace', () => {
    const text = cscfg('  <Role name="A">\n  </Role>');
    const res = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T });
    expect(listRoles(res.text)[0]?.certificates[0]?.thumbprint).toBe(T);
    expect(res.text).toContain('  <Role name="A">\n    <Certificates>\n');
  });

  it('empty <Certificates /> and <Certificates></Certificates>', () => {
    for (const empty of ['<Certificates />', '<Certificates></Certificates>', '<Certificates>\n    </Certificates>']) {
      const text = cscfg(`  <Role name="A">\n    <Instances count="1" />\n    ${empty}\n  </Role>`);
      const res = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T });
      expect(res.text, empty).toBe(
        cscfg(
          `  <Role name="A">\n    <Instances count="1" />\n    <Certificates>\n      <Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1" />\n    </Certificates>\n  </Role>`,
        ),
      );
      expect(res.createdCertificatesElement).toBe(false);
    }
  });

  it('<Certificates> holding only a comment keeps the comment', () => {
    const text = cscfg(
      `  <Role name="A">\n    <Instances count="1" />\n    <Certificates>\n      <!-- add here -->\n    </Certificates>\n  </Role>`,
    );
    const res = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T });
    expect(res.text).toContain(`      <!-- add here -->\n      <Certificate name="c" thumbprint="${T}"`);
  });

  it('tabs and CR-only newlines', () => {
    const tabs = cscfg('\t<Role name="A">\n\t\t<Instances count="1" />\n\t</Role>');
    expect(setCscfgCertificate(tabs, { role: 'A', name: 'c', thumbprint: T }).text).toContain(
      '\t\t<Instances count="1" />\n\t\t<Certificates>\n\t\t\t<Certificate name="c"',
    );
    const cr = cscfg('  <Role name="A">\r    <Instances count="1" />\r  </Role>', '\r');
    const out = setCscfgCertificate(cr, { role: 'A', name: 'c', thumbprint: T }).text;
    expect(out).not.toContain('\n');
    expect(listRoles(out)[0]?.certificates).toHaveLength(1);
  });

  it('one-line files stay on one line', () => {
    const one = `<ServiceConfiguration xmlns="${NS}"><Role name="A"><Instances count="1"/></Role></ServiceConfiguration>`;
    expect(setCscfgCertificate(one, { role: 'A', name: 'c', thumbprint: T }).text).toBe(
      `<ServiceConfiguration xmlns="${NS}"><Role name="A"><Instances count="1"/><Certificates><Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1" /></Certificates></Role></ServiceConfiguration>`,
    );
  });

  it('inserts after a comment that trails the anchor on the same line', () => {
    const text = cscfg('  <Role name="A">\n    <Instances count="1" /> <!-- one is enough -->\n  </Role>');
    expect(setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T }).text).toContain(
      '    <Instances count="1" /> <!-- one is enough -->\n    <Certificates>\n',
    );
  });

  it('uses the newline style around the insertion point in mixed files', () => {
    const text = `<?xml version="1.0"?>\n<ServiceConfiguration xmlns="${NS}">\r\n  <Role name="A">\r\n    <Instances count="1" />\r\n  </Role>\r\n</ServiceConfiguration>`;
    const out = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T }).text;
    expect(out).toContain(`    <Instances count="1" />\r\n    <Certificates>\r\n      <Certificate name="c"`);
  });

  it('keeps a namespace prefix on created elements', () => {
    const text = `<sc:ServiceConfiguration xmlns:sc="${NS}">\n  <sc:Role name="A">\n    <sc:Instances count="1" />\n  </sc:Role>\n</sc:ServiceConfiguration>`;
    const out = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T }).text;
    expect(out).toContain(
      `<sc:Certificates>\n      <sc:Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1" />\n    </sc:Certificates>`,
    );
    const doc = parseXml(out).doc;
    expect(doc.getElementsByTagNameNS(NS, 'Certificate')).toHaveLength(1);
  });

  it('tricky markup: ">" in attribute values, CDATA, PIs and comments after the anchor', () => {
    const text = cscfg(
      `  <Role name="a>b">\n    <Instances count="1" />\n    <ConfigurationSettings>\n      <Setting name="x" value="1 > 0 &amp; 'q'" /><!-- c -->\n      <?pi data?>\n    </ConfigurationSettings>\n    <!-- trailing comment -->\n  </Role>`,
    );
    const res = setCscfgCertificate(text, { role: 'a>b', name: 'c', thumbprint: T });
    expect(res.text).toContain(
      `    </ConfigurationSettings>\n    <Certificates>\n      <Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1" />\n    </Certificates>\n    <!-- trailing comment -->`,
    );
  });

  it('escapes certificate names in the patched file', () => {
    const text = cscfg('  <Role name="A">\n    <Instances count="1" />\n  </Role>');
    const res = setCscfgCertificate(text, { role: 'A', name: 'a&b"c', thumbprint: T });
    expect(res.text).toContain('name="a&amp;b&quot;c"');
    expect(listRoles(res.text)[0]?.certificates[0]?.name).toBe('a&b"c');
  });

  it('updates an existing certificate attribute by attribute, keeping order, quotes and other attributes', () => {
    const text = cscfg(
      `  <Role name="A">\n    <Certificates>\n      <Certificate thumbprint='${T.toLowerCase()}'   name='c' sourceLocation="x" />\n    </Certificates>\n  </Role>`,
    );
    const res = setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: T });
    expect(res.action).toBe('replaced');
    expect(res.text).toContain(
      `<Certificate thumbprint='${T}'   name='c' sourceLocation="x" thumbprintAlgorithm="sha1" />`,
    );
    const NSD2 = NSD;
    const def = `<ServiceDefinition name="s" xmlns="${NSD2}">\n  <WebRole name="W">\n    <Certificates>\n      <Certificate name="c" storeLocation="LocalMachine" storeName="My" permissionLevel="elevated" />\n    </Certificates>\n  </WebRole>\n</ServiceDefinition>`;
    const d = setCsdefCertificate(def, { role: 'W', name: 'c', storeName: 'Root' });
    expect(d.text).toBe(def.replace('storeName="My"', 'storeName="Root"'));
    expect(setCsdefCertificate(def, { role: 'W', name: 'c' }).action).toBe('unchanged');
    expect(setCsdefCertificate(def, { role: 'W', name: 'c', permissionLevel: 'limitedOrElevated' }).text).toBe(
      def.replace('permissionLevel="elevated"', 'permissionLevel="limitedOrElevated"'),
    );
  });

  it('role not found (with a case hint), duplicate role, duplicate certificate', () => {
    const text = cscfg('  <Role name="WebRole1">\n    <Instances count="1" />\n  </Role>');
    const e = err(() => setCscfgCertificate(text, { role: 'webrole1', name: 'c', thumbprint: T }));
    expect(e.code).toBe('role-not-found');
    expect(e.message).toContain('did you mean "WebRole1"');
    const dup = cscfg('  <Role name="A"/>\n  <Role name="A"/>');
    expect(err(() => setCscfgCertificate(dup, { role: 'A', name: 'c', thumbprint: T })).code).toBe('duplicate-role');
    const dupCert = cscfg(
      `  <Role name="A"><Certificates><Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1"/><Certificate name="c" thumbprint="${T}" thumbprintAlgorithm="sha1"/></Certificates></Role>`,
    );
    expect(err(() => setCscfgCertificate(dupCert, { role: 'A', name: 'c', thumbprint: T2 })).code).toBe(
      'duplicate-certificate',
    );
  });

  it('validates inputs before touching the file', () => {
    const text = cscfg('  <Role name="A"/>');
    expect(err(() => setCscfgCertificate(text, { role: 'A', name: 'c', thumbprint: 'xyz' })).code).toBe(
      'invalid-thumbprint',
    );
    expect(err(() => setCscfgCertificate(text, { role: '', name: 'c', thumbprint: T })).code).toBe('invalid-role-name');
    expect(err(() => setCscfgCertificate(text, { role: 'A', name: ' c', thumbprint: T })).code).toBe(
      'invalid-certificate-name',
    );
  });

  it('csdef WebRole with no children at all', () => {
    const text = `<ServiceDefinition name="s" xmlns="${NSD}">\n  <WebRole name="W" vmsize="Small" />\n</ServiceDefinition>`;
    const res = setCsdefCertificate(text, {
      role: 'W',
      name: 'c',
      storeLocation: 'CurrentUser',
      permissionLevel: 'elevated',
    });
    expect(res.text).toBe(
      `<ServiceDefinition name="s" xmlns="${NSD}">\n  <WebRole name="W" vmsize="Small">\n    <Certificates>\n      <Certificate name="c" storeLocation="CurrentUser" storeName="My" permissionLevel="elevated" />\n    </Certificates>\n  </WebRole>\n</ServiceDefinition>`,
    );
  });
});

describe('checkCscfgThumbprints', () => {
  const vault: VaultCertificate[] = [
    { name: 'ssl', version: 'v2', thumbprint: T, enabled: true, isLatest: true },
    { name: 'ssl', version: 'v1', thumbprint: T2.toLowerCase(), enabled: true, isLatest: false },
    {
      name: 'old',
      version: 'v9',
      thumbprint: 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF',
      enabled: false,
      isLatest: true,
    },
  ];
  const certs = (list: Array<[string, string | null]>) =>
    cscfg(
      `  <Role name="A">\n    <Instances count="1" />\n    <Certificates>\n${list
        .map(
          ([n, t]) =>
            `      <Certificate name="${n}"${t === null ? '' : ` thumbprint="${t}"`} thumbprintAlgorithm="sha1" />`,
        )
        .join('\n')}\n    </Certificates>\n  </Role>`,
    );

  it('found, found in another version, missing with near miss, malformed, disabled', () => {
    const typo = T.slice(0, 10) + '0' + T.slice(11); // one character off
    const text = certs([
      ['ok', T],
      ['older', T2],
      ['typo', typo],
      ['invisible', '\u200E' + T],
      ['empty', ''],
      ['absent', null],
      ['disabled', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'],
      ['lower', T.toLowerCase()],
    ]);
    const r = checkCscfgThumbprints(text, vault);
    const by = Object.fromEntries(r.certificates.map((c) => [c.name, c]));
    expect(by.ok).toMatchObject({ status: 'found', ok: true, match: { name: 'ssl', version: 'v2' } });
    expect(by.older).toMatchObject({
      status: 'found-in-another-version',
      ok: false,
      match: { version: 'v1' },
      latest: { version: 'v2' },
    });
    expect(by.typo?.status).toBe('missing');
    expect(by.typo?.nearMiss?.certificate.version).toBe('v2');
    expect(by.typo?.nearMiss?.diff.distance).toBe(1);
    expect(by.typo?.message).toContain('1 character differs: position 11 is "0", expected "3"');
    expect(by.invisible).toMatchObject({ status: 'malformed', ok: false, match: { version: 'v2' } });
    expect(by.invisible?.message).toContain('left-to-right mark (U+200E)');
    expect(by.invisible?.action).toContain(T);
    expect(by.empty?.status).toBe('malformed');
    expect(by.absent?.status).toBe('malformed');
    expect(by.absent?.thumbprint).toBeNull();
    expect(by.disabled).toMatchObject({ status: 'found', ok: false });
    expect(by.disabled?.problems.map((p) => p.code)).toEqual(['vault-version-disabled']);
    expect(by.lower).toMatchObject({ status: 'found', ok: true });
    expect(by.lower?.problems.map((p) => p.code)).toEqual(['thumbprint-not-uppercase']);
    expect(r.ok).toBe(false);
    expect(r.counts).toEqual({ found: 3, 'found-in-another-version': 1, missing: 1, malformed: 3 });
    expect(by.ok?.line).toBe(6);
  });

  it('all found → ok', () => {
    const r = checkCscfgThumbprints(certs([['ok', T]]), vault);
    expect(r.ok).toBe(true);
  });

  it('no near miss when nothing is close', () => {
    const r = checkCscfgThumbprints(certs([['far', '0123456789012345678901234567890123456789']]), vault);
    expect(r.certificates[0]?.status).toBe('missing');
    expect(r.certificates[0]?.nearMiss).toBeUndefined();
  });

  it('with plain expected thumbprints, messages talk about expected thumbprints, not vault certificates', () => {
    const r = checkCscfgThumbprints(
      certs([
        ['ok', T],
        ['typo', T.slice(0, 39) + '0'],
      ]),
      vaultCertificatesFromThumbprints([T]),
    );
    expect(r.certificates[0]?.message).toContain('is one of the expected thumbprints');
    expect(r.certificates[1]?.message).toContain('is not one of the expected thumbprints');
    expect(r.certificates[1]?.message).toContain(`Closest expected thumbprint: ${T}`);
  });

  it('accepts Key Vault x5t (base64url) thumbprints for vault certificates', () => {
    const x5t = Buffer.from(T, 'hex').toString('base64url');
    expect(thumbprintToHex(x5t)).toBe(T);
    expect(thumbprintToHex('not a thumbprint')).toBeNull();
    const r = checkCscfgThumbprints(certs([['ok', T]]), [
      { name: 'c', version: 'v', thumbprint: x5t, enabled: true, isLatest: true },
    ]);
    expect(r.ok).toBe(true);
  });

  it('checkServiceFiles runs what the inputs allow', () => {
    const text = certs([['ok', T]]);
    expect(checkServiceFiles({ cscfg: text })).toMatchObject({
      ok: true,
      thumbprints: null,
      consistency: null,
      leftovers: [],
    });
    expect(checkServiceFiles({ cscfg: text, vaultCertificates: [] }).ok).toBe(false);
    const csdef = `<ServiceDefinition name="svc" xmlns="${NSD}"><WebRole name="A"><Certificates><Certificate name="ok" storeLocation="LocalMachine" storeName="My"/></Certificates></WebRole></ServiceDefinition>`;
    const all = checkServiceFiles({ cscfg: text, csdef, vaultCertificates: vault });
    expect(all.ok).toBe(true);
    expect(all.consistency?.issues).toEqual([]);
  });

  it('vaultCertificatesFromThumbprints', () => {
    const r = checkCscfgThumbprints(
      certs([['ok', T]]),
      vaultCertificatesFromThumbprints(['3b:fc:4e:04:c0:34:e2:1b:85:2a:8d:18:b4:ff:47:95:53:38:fe:e9']),
    );
    expect(r.ok).toBe(true);
  });
});

describe('checkServiceConsistency', () => {
  it('role sets, certificate names, service name', () => {
    const cfg = `<ServiceConfiguration serviceName="a" xmlns="${NS}"><Role name="A"><Certificates><Certificate name="x" thumbprint="${T}" thumbprintAlgorithm="sha1"/></Certificates></Role><Role name="B"/></ServiceConfiguration>`;
    const def = `<ServiceDefinition name="b" xmlns="${NSD}"><WebRole name="A"><Certificates><Certificate name="y" storeLocation="LocalMachine" storeName="My"/></Certificates></WebRole><WorkerRole name="C"/></ServiceDefinition>`;
    const r = checkServiceConsistency(cfg, def);
    expect(r.ok).toBe(false);
    expect(r.issues.map((i) => i.code).sort()).toEqual([
      'certificate-missing-in-cscfg',
      'certificate-missing-in-csdef',
      'role-missing-in-cscfg',
      'role-missing-in-csdef',
      'service-name-mismatch',
    ]);
    expect(r.roles.find((x) => x.role === 'A')?.certificates).toEqual([
      { name: 'x', inCscfg: true, inCsdef: false },
      { name: 'y', inCscfg: false, inCsdef: true },
    ]);
  });
});
