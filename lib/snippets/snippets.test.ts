import { describe, expect, it } from 'vitest';
import { DOMParser, type Document } from '@xmldom/xmldom';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SNIPPET_KINDS,
  SnippetError,
  bicepString,
  parseCertificateUrl,
  parseVaultId,
  powershellQuote,
  renderAllSnippets,
  renderSnippet,
  shellQuote,
  type SnippetModel,
} from './index';

const BASH_OPTS = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[] };
const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod`;
const VERSION = '0123456789abcdef0123456789abcdef';
const URL = `https://kv-contoso-prod.vault.azure.net/secrets/ssl-cert/${VERSION}`;
const T = '3BFC4E04C034E21B852A8D18B4FF47955338FEE9';
const MODEL: SnippetModel = { vaultId: VAULT_ID, certificateUrl: URL, thumbprint: T };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SnippetError);
    const err = e as SnippetError;
    expect(err.action.length).toBeGreaterThan(0);
    return err.code;
  }
  return undefined;
}

function parseXml(xml: string): Document {
  return new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
}

// ------------------------------------------------------------------ a small Bicep reader (structure, not semantics)
type BV = string | number | boolean | BV[] | { [k: string]: BV };
function readBicep(src: string): { params: string[]; resourceType: string; body: { [k: string]: BV } } {
  let i = 0;
  const ws = () => {
    for (;;) {
      while (i < src.length && /[ \t\r\n]/.test(src[i] as string)) i++;
      if (src.startsWith('//', i)) {
        while (i < src.length && src[i] !== '\n') i++;
      } else return;
    }
  };
  const str = (): string => {
    if (src[i] !== "'") throw new Error(`expected string at ${i}`);
    i++;
    let out = '';
    while (src[i] !== "'") {
      if (i >= src.length) throw new Error('unterminated string');
      if (src[i] === '\\') {
        const e = src[i + 1];
        const map: Record<string, string> = { '\\': '\\', "'": "'", n: '\n', r: '\r', t: '\t', $: '$' };
        if (e === undefined || map[e] === undefined) throw new Error(`bad escape \\${e}`);
        out += map[e];
        i += 2;
      } else {
        if (src[i] === '$' && src[i + 1] === '{') throw new Error('unescaped interpolation');
        out += src[i];
        i++;
      }
    }
    i++;
    return out;
  };
  const ident = (): string => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) throw new Error(`expected identifier at ${i}: ${src.slice(i, i + 20)}`);
    i += m[0].length;
    return m[0];
  };
  const value = (): BV => {
    ws();
    const c = src[i];
    if (c === "'") return str();
    if (c === '{') {
      i++;
      const obj: { [k: string]: BV } = {};
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return obj;
        }
        const key = src[i] === "'" ? str() : ident();
        ws();
        if (src[i] !== ':') throw new Error(`expected : at ${i}`);
        i++;
        const v = value();
        obj[key] = v;
      }
    }
    if (c === '[') {
      i++;
      const arr: BV[] = [];
      for (;;) {
        ws();
        if (src[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
      }
    }
    // identifier or function call expression (e.g. resourceGroup().location)
    const m = /^[A-Za-z_][A-Za-z0-9_().]*/.exec(src.slice(i));
    if (!m) throw new Error(`unexpected ${src.slice(i, i + 20)}`);
    i += m[0].length;
    return `<expr:${m[0]}>`;
  };
  const params: string[] = [];
  let resourceType = '';
  let body: { [k: string]: BV } = {};
  for (;;) {
    ws();
    if (i >= src.length) break;
    const kw = ident();
    ws();
    if (kw === 'param') {
      params.push(ident());
      ws();
      ident(); // type
      ws();
      if (src[i] === '=') {
        i++;
        value();
      }
    } else if (kw === 'resource') {
      ident();
      ws();
      resourceType = str();
      ws();
      if (src[i] !== '=') throw new Error('expected =');
      i++;
      body = value() as { [k: string]: BV };
    } else throw new Error(`unexpected keyword ${kw}`);
  }
  return { params, resourceType, body };
}

// ------------------------------------------------------------------ a small PowerShell single-quote reader
function psStrings(line: string): string[] {
  const out: string[] = [];
  const q = /['\u2018\u2019\u201A\u201B]/;
  for (let i = 0; i < line.length; i++) {
    if (q.test(line[i] as string)) {
      let s = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('unterminated');
        const c = line[i] as string;
        if (q.test(c)) {
          if (q.test(line[i + 1] ?? '')) {
            s += c;
            i += 2;
            continue;
          }
          break;
        }
        s += c;
        i++;
      }
      out.push(s);
    }
  }
  return out;
}

describe('model validation', () => {
  it('parses a vault id', () => {
    expect(parseVaultId(VAULT_ID)).toEqual({
      id: VAULT_ID,
      subscriptionId: SUB,
      resourceGroup: 'rg-cses-prod',
      vaultName: 'kv-contoso-prod',
    });
    expect(parseVaultId(VAULT_ID.toLowerCase()).vaultName).toBe('kv-contoso-prod');
  });

  it('rejects bad vault ids', () => {
    for (const bad of [
      '',
      'kv-contoso-prod',
      'https://kv-contoso-prod.vault.azure.net/',
      `/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/kv1`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/k`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv--x`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1/`,
      `/subscriptions/${SUB}/resourceGroups/rg./providers/Microsoft.KeyVault/vaults/kv1`,
      `/subscriptions/${SUB}/resourceGroups/r g/providers/Microsoft.KeyVault/vaults/kv1`,
    ]) {
      expect(
        codeOf(() => parseVaultId(bad)),
        bad,
      ).toBe('invalid-vault-id');
    }
  });

  it('parses versioned secret ids of every cloud and the sandbox', () => {
    expect(parseCertificateUrl(URL)).toMatchObject({
      vaultName: 'kv-contoso-prod',
      secretName: 'ssl-cert',
      version: VERSION,
      port: null,
      sandbox: false,
    });
    expect(parseCertificateUrl(`https://kv1.vault.azure.net:443/secrets/c/${VERSION}`).vaultName).toBe('kv1');
    for (const suffix of ['vault.azure.cn', 'vault.usgovcloudapi.net', 'vault.microsoftazure.de']) {
      expect(parseCertificateUrl(`https://kv1.${suffix}/secrets/c/${VERSION}`).dnsSuffix).toBe(suffix);
    }
    const sb = parseCertificateUrl(`https://kv-contoso-prod.vault.localhost:8443/secrets/c/${VERSION}`);
    expect(sb).toMatchObject({ sandbox: true, port: '8443', dnsSuffix: 'vault.localhost' });
  });

  it('rejects /certificates/ urls, unversioned urls and other hosts with specific codes', () => {
    expect(codeOf(() => parseCertificateUrl(`https://kv1.vault.azure.net/certificates/c/${VERSION}`))).toBe(
      'certificate-url-not-secret',
    );
    expect(codeOf(() => parseCertificateUrl(`https://kv1.vault.azure.net/keys/c/${VERSION}`))).toBe(
      'certificate-url-not-secret',
    );
    expect(codeOf(() => parseCertificateUrl('https://kv1.vault.azure.net/secrets/c'))).toBe(
      'certificate-url-unversioned',
    );
    expect(codeOf(() => parseCertificateUrl('https://kv1.vault.azure.net/secrets/c/'))).toBe(
      'certificate-url-unversioned',
    );
    expect(codeOf(() => parseCertificateUrl(`https://kv1.example.com/secrets/c/${VERSION}`))).toBe(
      'certificate-url-unknown-host',
    );
    expect(codeOf(() => parseCertificateUrl(`https://kv1.managedhsm.azure.net/secrets/c/${VERSION}`))).toBe(
      'certificate-url-unknown-host',
    );
    for (const bad of [
      `http://kv1.vault.azure.net/secrets/c/${VERSION}`,
      `https://kv1.vault.azure.net/secrets/c/${VERSION}/`,
      `https://kv1.vault.azure.net/secrets/c/${VERSION}?api-version=7.4`,
      `https://kv1.vault.azure.net/secrets/c/1234`,
      `https://kv1.vault.azure.net/secrets/c_d/${VERSION}`,
      `https://kv1.vault.azure.net/secrets/c\u200E/${VERSION}`,
      'not a url',
    ]) {
      expect(
        codeOf(() => parseCertificateUrl(bad)),
        bad,
      ).toBe('invalid-certificate-url');
    }
  });

  it('requires the url and the vault id to name the same vault', () => {
    expect(
      codeOf(() =>
        renderSnippet('arm', {
          vaultId: VAULT_ID,
          certificateUrl: `https://other-kv.vault.azure.net/secrets/c/${VERSION}`,
        }),
      ),
    ).toBe('vault-mismatch');
  });

  it('rejects unknown kinds', () => {
    expect(codeOf(() => renderSnippet('terraform' as never, MODEL))).toBe('invalid-snippet-kind');
  });
});

describe('arm', () => {
  it('renders osProfile.secrets for cloudServices 2022-09-04', () => {
    const parsed = JSON.parse(renderSnippet('arm', MODEL));
    expect(parsed).toEqual({
      type: 'Microsoft.Compute/cloudServices',
      apiVersion: '2022-09-04',
      properties: {
        osProfile: {
          secrets: [{ sourceVault: { id: VAULT_ID }, vaultCertificates: [{ certificateUrl: URL }] }],
        },
      },
    });
  });

  it('works without a thumbprint and with the sandbox host', () => {
    const url = `https://kv-contoso-prod.vault.localhost:8443/secrets/c/${VERSION}`;
    const parsed = JSON.parse(renderSnippet('arm', { vaultId: VAULT_ID, certificateUrl: url }));
    expect(parsed.properties.osProfile.secrets[0].vaultCertificates[0].certificateUrl).toBe(url);
  });
});

describe('vmss', () => {
  it('renders virtualMachineProfile.osProfile.secrets with certificateStore', () => {
    const parsed = JSON.parse(renderSnippet('vmss', { ...MODEL, storeName: 'TrustedPeople' }));
    expect(parsed.type).toBe('Microsoft.Compute/virtualMachineScaleSets');
    expect(parsed.properties.virtualMachineProfile.osProfile.secrets).toEqual([
      {
        sourceVault: { id: VAULT_ID },
        vaultCertificates: [{ certificateUrl: URL, certificateStore: 'TrustedPeople' }],
      },
    ]);
    expect(
      JSON.parse(renderSnippet('vmss', MODEL)).properties.virtualMachineProfile.osProfile.secrets[0]
        .vaultCertificates[0].certificateStore,
    ).toBe('My');
  });

  it('refuses CurrentUser', () => {
    expect(codeOf(() => renderSnippet('vmss', { ...MODEL, storeLocation: 'CurrentUser' }))).toBe(
      'vmss-store-location-unsupported',
    );
  });
});

describe('bicep', () => {
  it('renders a cloudServices resource whose structure matches the ARM form', () => {
    const text = renderSnippet('bicep', MODEL);
    const b = readBicep(text);
    expect(b.resourceType).toBe('Microsoft.Compute/cloudServices@2022-09-04');
    expect(b.params).toEqual(['cloudServiceName', 'location']);
    const arm = JSON.parse(renderSnippet('arm', MODEL));
    expect((b.body.properties as { [k: string]: BV }).osProfile).toEqual(arm.properties.osProfile);
  });

  it('escapes Bicep strings', () => {
    const nasty = "a'b\\c${d}$e\nf";
    const b = readBicep(`resource x 'T@1' = {\n  v: ${bicepString(nasty)}\n}\n`);
    expect(b.body.v).toBe(nasty);
  });
});

describe('az', () => {
  it('is valid bash that enables the vault for deployment and writes a parseable parameters file', () => {
    const script = renderSnippet('az', MODEL);
    const dir = mkdtempSync(join(tmpdir(), 'cses-az-'));
    try {
      writeFileSync(join(dir, 'snippet.sh'), script);
      // Replace `az` with a function that records its arguments, one per line, each call separated.
      const harness = `az() { printf '%s\\0' "$@" >> "${dir}/calls"; printf '\\n' >> "${dir}/calls"; }\ncd "${dir}"\nsource ./snippet.sh\n`;
      execFileSync('bash', ['--norc', '--noprofile', '-n', join(dir, 'snippet.sh')], BASH_OPTS);
      execFileSync('bash', ['--norc', '--noprofile', '-c', harness], BASH_OPTS);
      const calls = readFileSync(join(dir, 'calls'), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => l.split('\0').filter((x) => x.length > 0));
      expect(calls[0]).toEqual([
        'keyvault',
        'update',
        '--subscription',
        SUB,
        '--resource-group',
        'rg-cses-prod',
        '--name',
        'kv-contoso-prod',
        '--enabled-for-deployment',
        'true',
      ]);
      expect(calls[1]).toEqual([
        'keyvault',
        'certificate',
        'show',
        '--subscription',
        SUB,
        '--vault-name',
        'kv-contoso-prod',
        '--name',
        'ssl-cert',
        '--version',
        VERSION,
        '--query',
        'x509ThumbprintHex',
        '--output',
        'tsv',
      ]);
      expect(calls[2]).toEqual([
        'deployment',
        'group',
        'create',
        '--subscription',
        SUB,
        '--resource-group',
        'rg-cses-prod',
        '--template-file',
        'azuredeploy.json',
        '--parameters',
        '@cses-secrets.parameters.json',
      ]);
      const params = JSON.parse(readFileSync(join(dir, 'cses-secrets.parameters.json'), 'utf8'));
      expect(params.parameters.secrets.value).toEqual([
        { sourceVault: { id: VAULT_ID }, vaultCertificates: [{ certificateUrl: URL }] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resource groups with parentheses, and the CLOUD_SERVICE_RESOURCE_GROUP override', () => {
    const vaultId = `/subscriptions/${SUB}/resourceGroups/rg(prod).x_1/providers/Microsoft.KeyVault/vaults/kv-contoso-prod`;
    const script = renderSnippet('az', { vaultId, certificateUrl: URL });
    const dir = mkdtempSync(join(tmpdir(), 'cses-az-'));
    try {
      writeFileSync(join(dir, 'snippet.sh'), script);
      const harness = (env: string) =>
        `${env}\naz() { printf '%s\\0' "$@" >> "${dir}/calls"; printf '\\n' >> "${dir}/calls"; }\ncd "${dir}"\nsource ./snippet.sh\n`;
      const calls = () =>
        readFileSync(join(dir, 'calls'), 'utf8')
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l) => l.split('\0').filter((x) => x.length > 0));
      execFileSync('bash', ['--norc', '--noprofile', '-c', harness('')], BASH_OPTS);
      expect(calls()[0]).toContain('rg(prod).x_1');
      expect(calls()[2]?.[6]).toBe('rg(prod).x_1');
      rmSync(join(dir, 'calls'));
      execFileSync(
        'bash',
        ['--norc', '--noprofile', '-c', harness("export CLOUD_SERVICE_RESOURCE_GROUP='rg-apps'")],
        BASH_OPTS,
      );
      expect(calls()[2]?.[6]).toBe('rg-apps');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shellQuote survives quotes and metacharacters', () => {
    const nasty = `it's $(rm -rf /) "x" \`y\` \\ ;|&`;
    const out = execFileSync(
      'bash',
      ['--norc', '--noprofile', '-c', `printf '%s' ${shellQuote(nasty)}`],
      BASH_OPTS,
    ).toString();
    expect(out).toBe(nasty);
  });
});

describe('powershell', () => {
  it('uses New-AzCloudServiceVaultSecretGroupObject with the vault id and url', () => {
    const text = renderSnippet('powershell', MODEL);
    const line = text.split('\n').find((l) => l.includes('New-AzCloudServiceVaultSecretGroupObject'));
    expect(line).toBeDefined();
    expect(line).toMatch(/^\$secretGroup = New-AzCloudServiceVaultSecretGroupObject -Id '.*' -CertificateUrl '.*'$/);
    expect(psStrings(line as string)).toEqual([VAULT_ID, URL]);
    const policy = text.split('\n').find((l) => l.startsWith('Set-AzKeyVaultAccessPolicy'));
    expect(psStrings(policy as string)).toEqual(['kv-contoso-prod', 'rg-cses-prod']);
    expect(policy).toContain('-EnabledForDeployment');
    expect(text).toContain('$osProfile = @{ secret = @($secretGroup) }');
  });

  it('powershellQuote doubles ASCII and typographic single quotes', () => {
    const nasty = "it's \u2018x\u2019 $env:PATH `n";
    const q = powershellQuote(nasty);
    expect(q).toBe("'it''s \u2018\u2018x\u2019\u2019 $env:PATH `n'");
    expect(psStrings(q)).toEqual([nasty]);
  });
});

describe('cscfg and csdef', () => {
  it('cscfg: a <Certificates> block with the normalized thumbprint and the secret name by default', () => {
    const text = renderSnippet('cscfg', { ...MODEL, thumbprint: '\u200E' + T.toLowerCase() });
    const doc = parseXml(text);
    const cert = doc.getElementsByTagName('Certificate')[0];
    expect(doc.documentElement?.nodeName).toBe('Certificates');
    expect(cert?.getAttribute('name')).toBe('ssl-cert');
    expect(cert?.getAttribute('thumbprint')).toBe(T);
    expect(cert?.getAttribute('thumbprintAlgorithm')).toBe('sha1');
  });

  it('cscfg: one <Role> per role name, escaped', () => {
    const text = renderSnippet('cscfg', { ...MODEL, certificateName: 'Ssl&Cert', roleNames: ['Web"1', 'Worker'] });
    const doc = parseXml(`<root>${text}</root>`);
    const roles = Array.from(doc.getElementsByTagName('Role')).map((r) => r.getAttribute('name'));
    expect(roles).toEqual(['Web"1', 'Worker']);
    expect(doc.getElementsByTagName('Certificate')[1]?.getAttribute('name')).toBe('Ssl&Cert');
  });

  it('cscfg needs a thumbprint', () => {
    expect(codeOf(() => renderSnippet('cscfg', { vaultId: VAULT_ID, certificateUrl: URL }))).toBe(
      'thumbprint-required',
    );
    expect(codeOf(() => renderSnippet('cscfg', { ...MODEL, thumbprint: 'abc' }))).toBe('invalid-thumbprint');
  });

  it('csdef: store location/name, role comments that stay valid XML', () => {
    const text = renderSnippet('csdef', {
      ...MODEL,
      storeLocation: 'LocalMachine',
      storeName: 'Root',
      permissionLevel: 'elevated',
      roleNames: ['Web--Role-'],
    });
    const doc = parseXml(`<root>${text}</root>`);
    const cert = doc.getElementsByTagName('Certificate')[0];
    expect(cert?.getAttribute('storeLocation')).toBe('LocalMachine');
    expect(cert?.getAttribute('storeName')).toBe('Root');
    expect(cert?.getAttribute('permissionLevel')).toBe('elevated');
    const csdef = renderSnippet('csdef', MODEL);
    expect(parseXml(csdef).getElementsByTagName('Certificate')[0]?.getAttribute('storeName')).toBe('My');
  });

  it('passes through service-config validation codes', () => {
    expect(codeOf(() => renderSnippet('csdef', { ...MODEL, storeLocation: 'Nowhere' }))).toBe('invalid-store-location');
    expect(codeOf(() => renderSnippet('csdef', { ...MODEL, roleNames: [''] }))).toBe('invalid-role-name');
  });
});

describe('renderAllSnippets', () => {
  it('renders every kind, with errors per kind', () => {
    const all = renderAllSnippets({ vaultId: VAULT_ID, certificateUrl: URL });
    expect(Object.keys(all).sort()).toEqual([...SNIPPET_KINDS].sort());
    expect(all.arm.ok).toBe(true);
    expect(all.cscfg).toMatchObject({ ok: false, error: { code: 'thumbprint-required' } });
  });
});
