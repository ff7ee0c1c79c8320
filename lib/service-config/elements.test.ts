import { describe, expect, it } from 'vitest';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { ServiceConfigError, cscfgCertificateElement, csdefCertificateElement, escapeXmlAttribute } from './index';

const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';

function parseElement(xml: string): Element {
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
  const el = doc.documentElement;
  if (!el) throw new Error('no element');
  return el;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceConfigError);
    const err = e as ServiceConfigError;
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.action.length).toBeGreaterThan(0);
    return err.code;
  }
  return undefined;
}

describe('cscfgCertificateElement', () => {
  it('renders the documented shape', () => {
    expect(cscfgCertificateElement({ name: 'SslCert', thumbprint: T })).toBe(
      `<Certificate name="SslCert" thumbprint="${T}" thumbprintAlgorithm="sha1" />`,
    );
  });

  it('normalizes the thumbprint', () => {
    const xml = cscfgCertificateElement({ name: 'c', thumbprint: '\u200E' + T.toLowerCase().replace(/(..)/g, '$1 ') });
    expect(parseElement(xml).getAttribute('thumbprint')).toBe(T);
  });

  it('escapes the name so it parses back to the same value', () => {
    const name = `a&b<c>"d'e`;
    const xml = cscfgCertificateElement({ name, thumbprint: T });
    const el = parseElement(xml);
    expect(el.getAttribute('name')).toBe(name);
    expect(el.getAttribute('thumbprintAlgorithm')).toBe('sha1');
  });

  it('rejects bad names, thumbprints and algorithms with stable codes', () => {
    expect(codeOf(() => cscfgCertificateElement({ name: '', thumbprint: T }))).toBe('invalid-certificate-name');
    expect(codeOf(() => cscfgCertificateElement({ name: ' x', thumbprint: T }))).toBe('invalid-certificate-name');
    expect(codeOf(() => cscfgCertificateElement({ name: 'x\u200E', thumbprint: T }))).toBe('invalid-certificate-name');
    expect(codeOf(() => cscfgCertificateElement({ name: 'a\nb', thumbprint: T }))).toBe('invalid-certificate-name');
    expect(codeOf(() => cscfgCertificateElement({ name: 'x'.repeat(257), thumbprint: T }))).toBe(
      'invalid-certificate-name',
    );
    expect(codeOf(() => cscfgCertificateElement({ name: 'x', thumbprint: T.slice(2) }))).toBe('invalid-thumbprint');
    expect(codeOf(() => cscfgCertificateElement({ name: 'x', thumbprint: '' }))).toBe('invalid-thumbprint');
    expect(
      codeOf(() =>
        cscfgCertificateElement({ name: 'x', thumbprint: T, thumbprintAlgorithm: 'sha256' as unknown as 'sha1' }),
      ),
    ).toBe('invalid-thumbprint-algorithm');
  });
});

describe('csdefCertificateElement', () => {
  it('defaults to LocalMachine/My', () => {
    expect(csdefCertificateElement({ name: 'SslCert' })).toBe(
      '<Certificate name="SslCert" storeLocation="LocalMachine" storeName="My" />',
    );
  });

  it('canonicalizes case of known values and adds permissionLevel', () => {
    const xml = csdefCertificateElement({
      name: 'c',
      storeLocation: 'currentuser',
      storeName: 'trustedpeople',
      permissionLevel: 'ELEVATED',
    });
    expect(xml).toBe(
      '<Certificate name="c" storeLocation="CurrentUser" storeName="TrustedPeople" permissionLevel="elevated" />',
    );
  });

  it('accepts a custom store name and escapes the name', () => {
    const el = parseElement(csdefCertificateElement({ name: 'x&y"', storeName: 'My Custom.Store' }));
    expect(el.getAttribute('name')).toBe('x&y"');
    expect(el.getAttribute('storeName')).toBe('My Custom.Store');
  });

  it('rejects invalid store location/name/permission level', () => {
    expect(codeOf(() => csdefCertificateElement({ name: 'c', storeLocation: 'Machine' }))).toBe(
      'invalid-store-location',
    );
    expect(codeOf(() => csdefCertificateElement({ name: 'c', storeName: 'a<b' }))).toBe('invalid-store-name');
    expect(codeOf(() => csdefCertificateElement({ name: 'c', storeName: '' }))).toBe('invalid-store-name');
    expect(codeOf(() => csdefCertificateElement({ name: 'c', permissionLevel: 'admin' }))).toBe(
      'invalid-permission-level',
    );
    expect(codeOf(() => csdefCertificateElement({ name: '' }))).toBe('invalid-certificate-name');
  });
});

describe('escapeXmlAttribute', () => {
  it('escapes markup and whitespace that attribute normalization would eat', () => {
    expect(escapeXmlAttribute(`&<>"'\t\n\r`)).toBe('&amp;&lt;&gt;&quot;&apos;&#9;&#10;&#13;');
    const el = parseElement(`<a v="${escapeXmlAttribute('x\ty\nz')}"/>`);
    expect(el.getAttribute('v')).toBe('x\ty\nz');
  });
});
