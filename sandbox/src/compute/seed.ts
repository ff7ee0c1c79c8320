import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { z } from 'zod';
import { join } from 'node:path';
import { readIfExists, writeFileAtomic } from '../fsutil.js';
import { newVersion } from '../ids.js';
import { generateRsa } from '../pki.js';
import { buildPasswordlessPkcs12 } from '../pkcs12.js';
import { pkcs8Der, selfSignedCertificate } from '../selfsign.js';
import type { CertVersion, Secret, State, Vault } from '../model.js';
import { certFacts, keyProps, x5tOf } from '../x509info.js';
import { buildCscfg } from './cscfg.js';
import type { CloudServiceModel, CloudServiceRecord, VaultSecretGroup } from './model.js';
import { sha1Hex } from './secrets.js';

/**
 * Seed sections for the cloud services RP: `certificates` (issued when the seed is applied, so their validity is
 * relative to that moment) and `cloudServices` that reference them. See sandbox/README.md ("Cloud services seed").
 */
export const CertificateSeedSchema = z.object({
  /** label the cloud services refer to */
  id: z.string().min(1),
  vault: z.string().min(1),
  /** the Key Vault object name; for a pkcs12Secret without a name, the thumbprint (as the migration tool names it) */
  name: z
    .string()
    .regex(/^[0-9a-zA-Z-]{1,127}$/)
    .optional(),
  /** `certificate`: a Key Vault certificate; `pkcs12Secret`: only a PKCS#12 secret, no certificate object (§6.1) */
  kind: z.enum(['certificate', 'pkcs12Secret']).default('certificate'),
  subject: z.string().min(3),
  dnsNames: z.array(z.string()).default([]),
  /** oldest first; the last one is the current version */
  versions: z
    .array(
      z.object({
        /** days since it was issued (notBefore = now - ageDays) */
        ageDays: z.number().min(0).default(0),
        validDays: z.number().positive().default(365),
        enabled: z.boolean().default(true),
      }),
    )
    .min(1),
});

export const CloudServiceSeedSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/),
  subscriptionId: z.string(),
  resourceGroup: z.string().min(1),
  location: z.string().min(1),
  tags: z.record(z.string(), z.string()).default({}),
  upgradeMode: z.enum(['Auto', 'Manual', 'Simultaneous']).default('Auto'),
  roles: z
    .array(
      z.object({
        name: z.string().min(1),
        instances: z.number().int().min(1).default(2),
        vmSize: z.string().default('Standard_D1_v2'),
      }),
    )
    .min(1),
  certificates: z
    .array(
      z.object({
        /** the cscfg <Certificate name> */
        name: z.string().min(1),
        roles: z.array(z.string()).min(1),
        /** id of an entry in `certificates` */
        ref: z.string(),
        /** which version's thumbprint the cscfg carries (index, negative from the end; -1 = current) */
        cscfgVersion: z.number().int().default(-1),
        /** which version osProfile.secrets pins */
        pinnedVersion: z.number().int().default(-1),
      }),
    )
    .default([]),
  /** classic RemoteAccess plugin settings left in the cscfg (§5.1) */
  remoteAccess: z.object({ username: z.string().min(1) }).optional(),
});

export type CertificateSeed = z.infer<typeof CertificateSeedSchema>;
export type CloudServiceSeed = z.infer<typeof CloudServiceSeedSchema>;

interface Issued {
  vault: Vault;
  secretName: string;
  versions: { version: string; thumbprint: string; der: Buffer }[];
}

const DAY = 86_400_000;

/**
 * RSA keys shared by the seeded certificates (each certificate still has its own thumbprint): key generation takes
 * up to a second on a busy 2-core box, so a process makes at most SEED_KEYS of them and reuses them on every reset.
 * startSandbox pre-generates them in parallel with its own keys on a first start.
 */
export const SEED_KEYS = 1;
const seedKeys: KeyObject[] = [];
function keyPool(stateDir: string | undefined): () => KeyObject {
  const file = stateDir ? join(stateDir, 'seed-keys.pem') : undefined;
  const saved = file ? readIfExists(file) : undefined;
  if (seedKeys.length === 0 && saved) {
    for (const pem of saved.match(/-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/g) ?? [])
      seedKeys.push(createPrivateKey(pem));
  }
  while (seedKeys.length < SEED_KEYS) seedKeys.push(createPrivateKey(generateRsa(2048).privateKeyPem));
  const pems = seedKeys.map((k) => k.export({ type: 'pkcs8', format: 'pem' }).toString()).join('');
  if (file && saved !== pems) writeFileAtomic(file, pems);
  let i = 0;
  return () => seedKeys[i++ % seedKeys.length]!;
}

function issue(key: KeyObject, c: CertificateSeed, v: CertificateSeed['versions'][number], now: number) {
  const notBefore = new Date(Math.floor((now - v.ageDays * DAY) / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + v.validDays * DAY);
  return selfSignedCertificate(key, {
    subject: c.subject,
    dnsNames: c.dnsNames,
    validityMonths: 12,
    notBefore,
    notAfter,
  });
}

/** Issues the seed's certificates and builds its cloud services into `state` (called by seedState). */
export function applyComputeSeed(
  state: State,
  seed: { certificates: CertificateSeed[]; cloudServices: CloudServiceSeed[] },
  fail: (msg: string) => never,
  stateDir?: string,
): void {
  if (seed.certificates.length === 0 && seed.cloudServices.length === 0) return;
  const now = Date.now();
  const nextKey = keyPool(stateDir);
  const vaultOf = (name: string) =>
    state.vaults.find((v) => v.name.toLowerCase() === name.toLowerCase()) ??
    fail(`certificate vault '${name}' is not a seeded vault`);
  const issued = new Map<string, Issued>();
  for (const c of seed.certificates) {
    if (issued.has(c.id)) fail(`certificate id '${c.id}' is used twice`);
    const vault = vaultOf(c.vault);
    const key = nextKey();
    const keyPkcs8 = pkcs8Der(key).toString('base64');
    const ders = c.versions.map((v) => issue(key, c, v, now));
    const versions = ders.map((der) => ({ version: newVersion(), thumbprint: sha1Hex(der), der }));
    if (c.kind === 'certificate') {
      const name = c.name ?? fail(`certificate '${c.id}' needs a name`);
      const cvs: CertVersion[] = c.versions.map((v, i) => {
        const der = ders[i]!;
        const f = certFacts(der);
        const created = Math.floor((now - v.ageDays * DAY) / 1000);
        return {
          version: versions[i]!.version,
          created,
          updated: created,
          enabled: v.enabled,
          nbf: f.nbf,
          exp: f.exp,
          keyPkcs8,
          chain: [der.toString('base64')],
          x5t: x5tOf(der),
          contentType: 'application/x-pkcs12',
          policy: policyOf(key, der, created),
        };
      });
      state.certificates[vault.name.toLowerCase()] ??= {};
      state.certificates[vault.name.toLowerCase()]![name.toLowerCase()] = {
        name,
        versions: cvs,
        policy: cvs[cvs.length - 1]!.policy,
      };
      issued.set(c.id, { vault, secretName: name, versions });
    } else {
      if (!c.name && c.versions.length !== 1) fail(`pkcs12Secret '${c.id}' named by its thumbprint has one version`);
      const name = c.name ?? versions[0]!.thumbprint;
      const secret: Secret = {
        name,
        versions: c.versions.map((v, i) => {
          const created = Math.floor((now - v.ageDays * DAY) / 1000);
          return {
            version: versions[i]!.version,
            value: buildPasswordlessPkcs12(Buffer.from(keyPkcs8, 'base64'), [ders[i]!]).toString('base64'),
            contentType: 'application/x-pkcs12',
            enabled: v.enabled,
            created,
            updated: created,
          };
        }),
      };
      state.secrets ??= {};
      state.secrets[vault.name.toLowerCase()] ??= {};
      state.secrets[vault.name.toLowerCase()]![name.toLowerCase()] = secret;
      issued.set(c.id, { vault, secretName: name, versions });
    }
  }
  state.cloudServices = seed.cloudServices.map((s) => buildService(state, s, issued, fail));
}

function policyOf(key: KeyObject, der: Buffer, created: number): Record<string, unknown> {
  const f = certFacts(der);
  return {
    key_props: keyProps(key),
    secret_props: { contentType: 'application/x-pkcs12' },
    x509_props: {
      subject: f.subject,
      ...(f.sans ? { sans: f.sans } : {}),
      ekus: f.ekus,
      key_usage: f.keyUsage,
      validity_months: f.validityMonths,
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
    issuer: { name: 'Self' },
    attributes: { enabled: true, created, updated: created },
  };
}

const at = <T>(list: T[], i: number): T | undefined => list[i < 0 ? list.length + i : i];

/** base64 CMS EnvelopedData of a password, encrypted to the PasswordEncryption certificate (what classic tools wrote). */
function encryptedPassword(der: Buffer): string {
  const p7 = forge.pkcs7.createEnvelopedData();
  p7.addRecipient(forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary'))));
  p7.content = forge.util.createBuffer('Sandbox-Only-Passw0rd!');
  p7.encrypt();
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary').toString('base64');
}

function buildService(
  state: State,
  s: CloudServiceSeed,
  issued: Map<string, Issued>,
  fail: (msg: string) => never,
): CloudServiceRecord {
  const where = `cloud service '${s.name}'`;
  if (!state.resourceGroups.some((g) => g.subscriptionId === s.subscriptionId && g.name === s.resourceGroup))
    fail(`${where}: resource group '${s.resourceGroup}' is not seeded in subscription ${s.subscriptionId}`);
  const roleCerts = new Map<string, { name: string; thumbprint: string }[]>(s.roles.map((r) => [r.name, []]));
  const groups: VaultSecretGroup[] = [];
  let rdpThumbprint: string | undefined;
  for (const c of s.certificates) {
    const src = issued.get(c.ref) ?? fail(`${where}: certificate ref '${c.ref}' is not in certificates`);
    const shown = at(src.versions, c.cscfgVersion) ?? fail(`${where}: '${c.ref}' has no version ${c.cscfgVersion}`);
    const pinned = at(src.versions, c.pinnedVersion) ?? fail(`${where}: '${c.ref}' has no version ${c.pinnedVersion}`);
    for (const r of c.roles) {
      const list = roleCerts.get(r) ?? fail(`${where}: certificate '${c.name}' names unknown role '${r}'`);
      list.push({ name: c.name, thumbprint: shown.thumbprint });
    }
    if (c.name === 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption') rdpThumbprint = shown.thumbprint;
    const vid = `/subscriptions/${src.vault.subscriptionId}/resourceGroups/${src.vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${src.vault.name}`;
    let g = groups.find((x) => x.sourceVault.id === vid);
    if (!g) groups.push((g = { sourceVault: { id: vid }, vaultCertificates: [] }));
    const url = `https://${src.vault.name.toLowerCase()}.vault.localhost/secrets/${src.secretName}/${pinned.version}`;
    if (!g.vaultCertificates.some((v) => v.certificateUrl === url)) g.vaultCertificates.push({ certificateUrl: url });
  }
  const rdpDer = rdpThumbprint
    ? [...issued.values()].flatMap((i) => i.versions).find((v) => v.thumbprint === rdpThumbprint)?.der
    : undefined;
  const configuration = buildCscfg({
    serviceName: s.name,
    vnet: `${s.name}-vnet`,
    subnet: 'WebTier',
    roles: s.roles.map((r, i) => ({
      name: r.name,
      instances: r.instances,
      settings: s.remoteAccess
        ? [
            { name: 'Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled', value: 'true' },
            { name: 'Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountUsername', value: s.remoteAccess.username },
            {
              name: 'Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountEncryptedPassword',
              value: rdpDer ? encryptedPassword(rdpDer) : '',
            },
            {
              name: 'Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountExpiration',
              value: '2027-03-31T23:59:59.0000000Z',
            },
            ...(i === 0 ? [{ name: 'Microsoft.WindowsAzure.Plugins.RemoteForwarder.Enabled', value: 'true' }] : []),
          ]
        : [],
      certificates: roleCerts.get(r.name)!,
    })),
  });
  const rg = `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroup}`;
  const model: CloudServiceModel = {
    configuration,
    upgradeMode: s.upgradeMode,
    roleProfile: {
      roles: s.roles.map((r) => ({ name: r.name, sku: { name: r.vmSize, tier: 'Standard', capacity: r.instances } })),
    },
    osProfile: { secrets: groups },
    networkProfile: {
      loadBalancerConfigurations: [
        {
          name: `${s.name}-lb`,
          properties: {
            frontendIpConfigurations: [
              {
                name: `${s.name}-fe`,
                properties: {
                  publicIPAddress: { id: `${rg}/providers/Microsoft.Network/publicIPAddresses/${s.name}-ip` },
                },
              },
            ],
          },
        },
      ],
    },
  };
  const createdAt = new Date(Date.now() - 400 * DAY).toISOString();
  return {
    name: s.name,
    subscriptionId: s.subscriptionId,
    resourceGroup: s.resourceGroup,
    location: s.location,
    tags: s.tags,
    uniqueId: randomUUID(),
    privateId: randomUUID().replace(/-/g, ''),
    model,
    provisioningState: 'Succeeded',
    createdAt,
    createdBy: state.personas[0]!.username,
    lastModifiedAt: createdAt,
    lastModifiedBy: state.personas[0]!.username,
  };
}
