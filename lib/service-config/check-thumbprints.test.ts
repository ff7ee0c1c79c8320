import { describe, expect, it } from 'vitest';
import {
  checkCscfgThumbprints,
  checkPastedThumbprints,
  describeCleanup,
  normalizeThumbprint,
  splitPastedThumbprints,
  type VaultCertificate,
} from './index';

const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const OTHER = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const vault: VaultCertificate[] = [
  { name: 'web-tls', version: 'v2', thumbprint: T, enabled: true, isLatest: true },
  { name: 'api-tls', version: 'v7', thumbprint: OTHER, enabled: true, isLatest: false },
];
const spaced = (t: string) => t.match(/../g)!.join(' ');
const cscfg = (thumbprint: string) =>
  `<ServiceConfiguration serviceName="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"><Role name="WebRole1"><Certificates><Certificate name="SSL" thumbprint="${thumbprint}" thumbprintAlgorithm="sha1" /></Certificates></Role></ServiceConfiguration>`;

describe('describeCleanup', () => {
  it('counts what was removed, grouped and pluralised, invisible characters first', () => {
    const c = describeCleanup(
      normalizeThumbprint(`\u200E${T.slice(0, 10)} ${T.slice(10, 20)} ${T.slice(20, 30)} ${T.slice(30)}`),
    );
    expect(c.parts).toEqual([
      { what: 'invisible character', count: 1 },
      { what: 'space', count: 3 },
    ]);
    expect(c.text).toBe('removing 1 invisible character and 3 spaces');
  });

  it('says one space, two invisible characters, colons, and a change of case', () => {
    expect(describeCleanup(normalizeThumbprint(`\uFEFF${T.slice(0, 20)} ${T.slice(20)}\u200B`)).text).toBe(
      'removing 2 invisible characters and 1 space',
    );
    const colons = describeCleanup(normalizeThumbprint(T.toLowerCase().match(/../g)!.join(':')));
    expect(colons).toMatchObject({ changedCase: true, parts: [{ what: 'colon', count: 19 }] });
    expect(colons.text).toBe('removing 19 colons and changing it to upper case');
    expect(describeCleanup(normalizeThumbprint(`\u200E${spaced(T).toLowerCase()}\t`)).text).toBe(
      'removing 1 invisible character, 19 spaces and 1 tab, and changing it to upper case',
    );
    expect(describeCleanup(normalizeThumbprint(T.toLowerCase())).text).toBe('changing it to upper case');
    expect(describeCleanup(normalizeThumbprint(`${T.slice(0, 20)}-${T.slice(20)}\r\n`)).text).toBe(
      'removing 2 line breaks and 1 hyphen',
    );
  });

  it('is empty when nothing changed', () => {
    expect(describeCleanup(normalizeThumbprint(T))).toEqual({ parts: [], changedCase: false, text: '' });
  });
});

describe('a thumbprint that matches after cleanup', () => {
  it('stays malformed (the file must be fixed) and carries the match, the clean value and what was removed', () => {
    const [c] = checkCscfgThumbprints(cscfg(`\u200E${spaced(T)}`), vault).certificates;
    expect(c).toMatchObject({ status: 'malformed', ok: false, match: { name: 'web-tls', version: 'v2' } });
    expect(c?.cleanup).toMatchObject({ value: T, text: 'removing 1 invisible character and 19 spaces' });
    expect(c?.nearMiss).toBeUndefined();
  });

  it('has no cleanup when the cleaned value is in no vault version, or is not a thumbprint at all', () => {
    const [absent] = checkCscfgThumbprints(cscfg(`\u200E${spaced('00'.repeat(20))}`), vault).certificates;
    expect(absent).toMatchObject({ status: 'malformed' });
    expect(absent?.match).toBeUndefined();
    expect(absent?.cleanup).toBeUndefined();
    const [short] = checkCscfgThumbprints(cscfg(`\u200E${T.slice(0, 38)}`), vault).certificates;
    expect(short?.status).toBe('malformed');
    expect(short?.cleanup).toBeUndefined();
    expect(short?.nearMiss?.certificate.name).toBe('web-tls');
  });

  it('a clean thumbprint has no cleanup', () => {
    const [c] = checkCscfgThumbprints(cscfg(T), vault).certificates;
    expect(c).toMatchObject({ status: 'found', ok: true });
    expect(c?.cleanup).toBeUndefined();
  });
});

describe('pasted thumbprints', () => {
  it('splits lines, commas and semicolons, takes a pasted thumbprint attribute, drops blanks', () => {
    expect(
      splitPastedThumbprints(
        `  ${T}  \r\n\n\u200B\n${OTHER};${T.toLowerCase()} , <Certificate thumbprint="\u200E${T}" />`,
      ),
    ).toEqual([T, OTHER, T.toLowerCase(), `\u200E${T}`]);
    expect(splitPastedThumbprints(' \n\t\n')).toEqual([]);
  });

  it('keeps the spaces inside a value (the Windows dialog form) for the check to count', () => {
    expect(splitPastedThumbprints(`\u200E${spaced(T)}`)).toEqual([`\u200E${spaced(T)}`]);
  });

  it('are checked with the same statuses as a .cscfg: found, older version, after cleanup, missing, malformed', () => {
    const typo = `${T.slice(0, 5)}0${T.slice(6)}`;
    const checks = checkPastedThumbprints([T, OTHER, `\u200E${spaced(T)}`, typo, 'not a thumbprint'].join('\n'), vault);
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['Thumbprint 1', 'found'],
      ['Thumbprint 2', 'found-in-another-version'],
      ['Thumbprint 3', 'malformed'],
      ['Thumbprint 4', 'missing'],
      ['Thumbprint 5', 'malformed'],
    ]);
    expect(checks[0]?.message).toBe('Thumbprint 1: found in the vault as "web-tls" (version v2).');
    expect(checks[2]?.cleanup?.text).toBe('removing 1 invisible character and 19 spaces');
    expect(checks[3]?.nearMiss?.certificate.name).toBe('web-tls');
    expect(checks[4]?.cleanup).toBeUndefined();
    expect(checks[4]?.match).toBeUndefined();
  });
});
