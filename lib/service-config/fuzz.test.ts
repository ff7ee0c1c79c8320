/**
 * Generated layouts: indentation (spaces/tabs), newline styles, child orders, comments, self-closing and empty
 * elements, attribute values containing ">" and quotes. Every patch must parse back, contain the certificate once,
 * and keep every original line (in order) unless the role sits on one line.
 */
import { describe, expect, it } from 'vitest';
import { listRoles, readServiceFile, setCscfgCertificate, setCsdefCertificate } from './index';

const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const NS = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration';
const NSD = 'http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function build(r: () => number, kind: 'cscfg' | 'csdef'): { text: string; roles: string[]; nl: string } {
  const nl = pick(r, ['\n', '\r\n', '\r\n', '\r']);
  const unit = pick(r, ['  ', '    ', '\t']);
  const bom = r() < 0.5 ? '\uFEFF' : '';
  const lines: string[] = [];
  if (r() < 0.7) lines.push('<?xml version="1.0" encoding="utf-8"?>');
  if (r() < 0.4) lines.push('<!-- generated', '  by a tool -->');
  lines.push(
    kind === 'cscfg'
      ? `<ServiceConfiguration serviceName="s" xmlns="${NS}">`
      : `<ServiceDefinition name="s" xmlns="${NSD}">`,
  );
  const roles: string[] = [];
  const nRoles = 1 + Math.floor(r() * 3);
  for (let i = 0; i < nRoles; i++) {
    const name = pick(r, ['Web', 'Worker', 'a>b', "it's", 'x.y-z']) + i;
    roles.push(name);
    const attr = name.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const tag = kind === 'cscfg' ? 'Role' : pick(r, ['WebRole', 'WorkerRole']);
    const style = r();
    if (style < 0.1) {
      lines.push(`${unit}<${tag} name="${attr}" />`);
      continue;
    }
    lines.push(`${unit}<${tag} name="${attr}"${kind === 'csdef' ? ' vmsize="Small"' : ''}>`);
    const children: string[][] = [];
    const child = (n: string, body: string[] | null) =>
      body === null
        ? [`${unit}${unit}<${n} />`]
        : [`${unit}${unit}<${n}>`, ...body.map((b) => unit + unit + unit + b), `${unit}${unit}</${n}>`];
    const pool: string[][] =
      kind === 'cscfg'
        ? [
            child('Instances count="1"', null),
            child('ConfigurationSettings', ['<Setting name="k" value="1 &gt; 0 &amp; \'q\'" />', '<!-- note -->']),
          ]
        : [
            child('Sites', ['<Site name="Web" />']),
            child('Endpoints', ['<InputEndpoint name="e" protocol="http" port="80" />']),
            child('Imports', ['<Import moduleName="Diagnostics" />']),
            child('ConfigurationSettings', ['<Setting name="k" />']),
            child('Contents', ['<Content destination=".\\" />']),
          ];
    for (const c of pool) if (r() < 0.6) children.push(c);
    if (r() < 0.3) children.sort(() => r() - 0.5);
    const certs = r();
    if (certs < 0.2) children.push(child('Certificates', null));
    else if (certs < 0.4)
      children.push(
        child('Certificates', [
          kind === 'cscfg'
            ? `<Certificate name="old" thumbprint="${T}" thumbprintAlgorithm="sha1" />`
            : '<Certificate name="old" storeLocation="LocalMachine" storeName="My" />',
        ]),
      );
    if (r() < 0.2) children.push([`${unit}${unit}<!-- end of role -->`]);
    for (const c of children) lines.push(...c);
    lines.push(`${unit}</${tag}>`);
  }
  lines.push(kind === 'cscfg' ? '</ServiceConfiguration>' : '</ServiceDefinition>');
  return { text: bom + lines.join(nl) + (r() < 0.5 ? nl : ''), roles, nl };
}

/** Line diff by longest common subsequence: the lines removed from `before` and added in `after`. */
function lineDiff(before: string[], after: string[]): { removed: string[]; added: string[] } {
  const n = before.length;
  const m = after.length;
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let a = n - 1; a >= 0; a--)
    for (let b = m - 1; b >= 0; b--)
      (L[a] as number[])[b] =
        before[a] === after[b] ? (L[a + 1]?.[b + 1] ?? 0) + 1 : Math.max(L[a + 1]?.[b] ?? 0, L[a]?.[b + 1] ?? 0);
  const removed: string[] = [];
  const added: string[] = [];
  let a = 0;
  let b = 0;
  while (a < n && b < m) {
    if (before[a] === after[b]) {
      a++;
      b++;
    } else if ((L[a + 1]?.[b] ?? 0) >= (L[a]?.[b + 1] ?? 0)) removed.push(before[a++] as string);
    else added.push(after[b++] as string);
  }
  while (a < n) removed.push(before[a++] as string);
  while (b < m) added.push(after[b++] as string);
  return { removed, added };
}

describe('generated layouts', () => {
  for (const kind of ['cscfg', 'csdef'] as const) {
    it(`${kind}: 300 files × every role`, () => {
      const r = rng(kind === 'cscfg' ? 42 : 4242);
      for (let n = 0; n < 300; n++) {
        const { text, roles, nl } = build(r, kind);
        for (const role of roles) {
          const res =
            kind === 'cscfg'
              ? setCscfgCertificate(text, { role, name: 'new', thumbprint: T })
              : setCsdefCertificate(text, { role, name: 'new', storeName: 'Root' });
          const info = readServiceFile(res.text, kind);
          const roleInfo = info.roles.find((x) => x.name === role);
          expect(
            roleInfo?.certificates.filter((c) => c.name === 'new'),
            `${n} ${role}\n${text}`,
          ).toHaveLength(1);
          expect(res.text.startsWith('\uFEFF')).toBe(text.startsWith('\uFEFF'));
          const { removed, added } = lineDiff(text.split(nl), res.text.split(nl));
          const ctx = `${n} ${role}\n${JSON.stringify(text)}\n${JSON.stringify(res.text)}`;
          // Only an empty <Certificates /> or a self-closing role line may be rewritten; nothing else is removed.
          for (const l of removed)
            expect(l, ctx).toMatch(/^\s*(<Certificates \/>|<(Role|WebRole|WorkerRole) name=.* \/>)$/);
          expect(removed.length, ctx).toBeLessThanOrEqual(1);
          // Added lines are certificate markup (or the re-opened self-closing role).
          for (const l of added) {
            expect(l, ctx).toMatch(
              /^\s*(<\/?Certificates>|<Certificate name="new" .*\/>|<(Role|WebRole|WorkerRole) name=.*[^/]>|<\/(Role|WebRole|WorkerRole)>)$/,
            );
          }
          // Other roles keep their certificates.
          for (const other of listRoles(text).filter((x) => x.name !== role)) {
            expect(info.roles.find((x) => x.name === other.name)?.certificates.map((c) => c.name)).toEqual(
              other.certificates.map((c) => c.name),
            );
          }
          // Idempotent.
          const again =
            kind === 'cscfg'
              ? setCscfgCertificate(res.text, { role, name: 'new', thumbprint: T })
              : setCsdefCertificate(res.text, { role, name: 'new', storeName: 'Root' });
          expect(again.action).toBe('unchanged');
        }
      }
    });
  }
});
