import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderServiceUpdate, renderServiceUpdates, SERVICE_UPDATE_API_VERSION } from './service-update';
import type { SnippetModel } from './model';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac`;
const URL1 = 'https://kv-contoso-rbac.vault.azure.net/secrets/web-ssl/22222222222222222222222222222222';
const URL2 = 'https://kv-contoso-rbac.vault.azure.net/secrets/api-client/33333333333333333333333333333333';
const CSCFG =
  "\uFEFF<?xml version=\"1.0\"?>\r\n<ServiceConfiguration serviceName='x'>\r\n  <!-- it's [here] -->\r\n</ServiceConfiguration>\r\n";
const secrets = [
  { sourceVault: { id: VAULT }, vaultCertificates: [{ certificateUrl: URL1 }, { certificateUrl: URL2 }] },
];

const model: SnippetModel = {
  vaultId: VAULT,
  certificateUrl: URL1,
  serviceUpdate: {
    serviceId: `/subscriptions/${SUB}/resourceGroups/rg-cses-prod/providers/Microsoft.Compute/cloudServices/cs-contoso-shop`,
    armEndpoint: 'https://management.azure.com',
    description: "Rotation of cs-contoso-shop: it's done",
    body: {
      location: 'westeurope',
      tags: { note: '[not an expression]' },
      properties: {
        configuration: CSCFG,
        upgradeMode: 'Auto',
        roleProfile: { roles: [{ name: 'WebRole1', sku: { name: 'Standard_D1_v2', tier: 'Standard', capacity: 2 } }] },
        osProfile: { secrets },
      },
    },
  },
};

describe('service update exports', () => {
  it('ARM template + parameters: the resource as it is, configuration and secrets from parameters, [ escaped', () => {
    const t = JSON.parse(renderServiceUpdate('update-template', model));
    const r = t.resources[0];
    expect(r).toMatchObject({
      type: 'Microsoft.Compute/cloudServices',
      apiVersion: SERVICE_UPDATE_API_VERSION,
      name: 'cs-contoso-shop',
      location: 'westeurope',
    });
    expect(r.properties.configuration).toBe("[parameters('configuration')]");
    expect(r.properties.osProfile.secrets).toBe("[parameters('secrets')]");
    expect(r.properties.roleProfile.roles[0].sku.capacity).toBe(2);
    expect(r.tags.note).toBe('[[not an expression]');
    const p = JSON.parse(renderServiceUpdate('update-parameters', model));
    expect(p.parameters.configuration.value).toBe(CSCFG);
    expect(p.parameters.secrets.value).toEqual(secrets);
  });

  it('PowerShell: the exact .cscfg bytes (base64) and every secret group', () => {
    const ps = renderServiceUpdate('update-powershell', model);
    const b64 = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(ps)![1]!;
    expect(Buffer.from(b64, 'base64').toString('utf8')).toBe(CSCFG);
    expect(ps).toContain(`-Id '${VAULT}' -CertificateUrl @('${URL1}', '${URL2}')`);
    expect(ps).toContain("-CloudServiceName 'cs-contoso-shop'");
    expect(ps).toContain('$cs | Update-AzCloudService');
    expect(ps).toContain("# Rotation of cs-contoso-shop: it's done");
  });

  it('az rest: a bash script whose body file is the PUT body, byte for byte', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cses-az-'));
    const script = renderServiceUpdate('update-az-rest', model);
    const bin = path.join(dir, 'bin');
    execFileSync('mkdir', [bin]);
    writeFileSync(path.join(bin, 'az'), '#!/usr/bin/env bash\necho "$@" >> "$AZ_LOG"\n', { mode: 0o755 });
    writeFileSync(path.join(dir, 'run.sh'), script);
    execFileSync('bash', ['run.sh'], {
      cwd: dir,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, AZ_LOG: path.join(dir, 'az.log') },
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'cses-update.body.json'), 'utf8'))).toEqual(
      model.serviceUpdate!.body,
    );
    const log = readFileSync(path.join(dir, 'az.log'), 'utf8');
    expect(log).toContain(
      `rest --method put --url https://management.azure.com${model.serviceUpdate!.serviceId}?api-version=${SERVICE_UPDATE_API_VERSION} --body @cses-update.body.json`,
    );
  });

  it('needs the service update, and renders all four', () => {
    expect(() => renderServiceUpdate('update-template', { vaultId: VAULT, certificateUrl: URL1 })).toThrow(
      /needs the cloud service update/,
    );
    expect(renderServiceUpdates(model).map((f) => f.fileName)).toEqual([
      'cses-update.template.json',
      'cses-update.parameters.json',
      'Update-CloudService.ps1',
      'cses-update.sh',
    ]);
  });
});
