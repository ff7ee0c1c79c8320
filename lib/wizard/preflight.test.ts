import { describe, expect, it } from 'vitest';
import type { CertificateSummary, VaultSummary } from '@/lib/api/types';
import { preflightChecks, preflightVerdict } from './preflight';

const vault: VaultSummary = {
  id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
  name: 'kv',
  subscriptionId: 's1',
  resourceGroup: 'rg',
  location: 'westeurope',
  vaultUri: 'https://kv.vault.azure.net/',
  rbac: true,
  enabledForDeployment: true,
  enabledForTemplateDeployment: false,
  enabledForDiskEncryption: false,
  softDelete: true,
  purgeProtection: false,
  publicNetworkAccess: 'Enabled',
  sku: 'standard',
};
const now = new Date('2026-11-27T00:00:00Z');
const cert: CertificateSummary = {
  name: 'web',
  version: 'v',
  thumbprint: 'A'.repeat(40),
  certificateId: '',
  secretId: '',
  vaultId: vault.id,
  vaultUri: vault.vaultUri,
  subject: 'CN=www',
  notBefore: '2026-01-01T00:00:00Z',
  expiresOn: '2027-11-27T00:00:00Z',
  enabled: true,
  contentType: 'application/x-pkcs12',
  exportable: true,
  issuer: 'CN=www',
  keyType: 'RSA',
  keySize: 2048,
  curve: null,
  signatureAlgorithm: 'sha256WithRSAEncryption',
  dnsNames: ['www'],
  createdOn: null,
};
const byId = (checks: ReturnType<typeof preflightChecks>) => Object.fromEntries(checks.map((c) => [c.id, c.status]));

describe('preflight for CSES', () => {
  it('passes a good vault and certificate', () => {
    const checks = preflightChecks(vault, cert, { subscriptionId: 'S1', location: 'westeurope' }, now);
    expect(checks).toHaveLength(8);
    expect(preflightVerdict(checks)).toBe('pass');
  });

  it('fails another subscription or region and a disabled deployment flag, each with a fix', () => {
    const checks = preflightChecks(
      { ...vault, enabledForDeployment: false },
      cert,
      { subscriptionId: 's2', location: 'eastus' },
      now,
    );
    expect(byId(checks)).toMatchObject({ subscription: 'fail', region: 'fail', 'deployment-flag': 'fail' });
    for (const c of checks.filter((x) => x.status !== 'pass')) expect(c.fix).not.toBe('');
    expect(checks.find((c) => c.id === 'deployment-flag')?.fixStep).toBe('access');
  });

  it('grades validity: expired red, under 30 days amber', () => {
    expect(
      byId(
        preflightChecks(
          vault,
          { ...cert, expiresOn: '2026-11-01T00:00:00Z' },
          { subscriptionId: 's1', location: 'westeurope' },
          now,
        ),
      ).validity,
    ).toBe('fail');
    expect(
      byId(
        preflightChecks(
          vault,
          { ...cert, expiresOn: '2026-12-10T00:00:00Z' },
          { subscriptionId: 's1', location: 'westeurope' },
          now,
        ),
      ).validity,
    ).toBe('warn');
  });

  it('flags weak keys, SHA-1 signatures, PEM content and non-exportable keys', () => {
    const checks = preflightChecks(
      vault,
      {
        ...cert,
        keySize: 1024,
        signatureAlgorithm: 'sha1WithRSAEncryption',
        contentType: 'application/x-pem-file',
        exportable: false,
      },
      { subscriptionId: 's1', location: 'westeurope' },
      now,
    );
    expect(byId(checks)).toMatchObject({
      'key-size': 'fail',
      signature: 'fail',
      'content-type': 'fail',
      exportable: 'fail',
    });
    expect(preflightVerdict(checks)).toBe('fail');
  });

  it('treats EC keys as amber', () => {
    expect(
      byId(
        preflightChecks(
          vault,
          { ...cert, keyType: 'EC', keySize: 256, curve: 'P-256', signatureAlgorithm: 'ecdsa-with-SHA256' },
          { subscriptionId: 's1', location: 'westeurope' },
          now,
        ),
      ),
    ).toMatchObject({
      'key-size': 'warn',
      signature: 'pass',
    });
  });
});
