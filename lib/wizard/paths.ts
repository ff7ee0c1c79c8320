import type { WizardCertificate, WizardVault } from './state';

const e = encodeURIComponent;

export function vaultApiPath(v: WizardVault): string {
  return `/api/subscriptions/${e(v.subscriptionId)}/resource-groups/${e(v.resourceGroup)}/vaults/${e(v.vaultName)}`;
}

export function certificateApiPath(v: WizardVault, name: string, version?: string): string {
  const base = `${vaultApiPath(v)}/certificates/${e(name)}`;
  return version ? `${base}?version=${e(version)}` : base;
}

export function wizardCertificatePath(v: WizardVault, c: WizardCertificate): string {
  return certificateApiPath(v, c.name, c.version);
}
