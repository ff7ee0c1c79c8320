/**
 * What the wizard remembers between steps. It lives in session storage and in the URL (so reloads and deep links
 * work) and never holds PFX bytes or passwords.
 */
export interface WizardVault {
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
}

export interface WizardCertificate {
  name: string;
  version: string;
}

export interface WizardState {
  vault?: WizardVault;
  certificate?: WizardCertificate;
}

const KEYS = { subscriptionId: 'sub', resourceGroup: 'rg', vaultName: 'vault', name: 'cert', version: 'version' } as const;

export function stateFromSearch(search: URLSearchParams): WizardState {
  const sub = search.get(KEYS.subscriptionId);
  const rg = search.get(KEYS.resourceGroup);
  const vault = search.get(KEYS.vaultName);
  const cert = search.get(KEYS.name);
  const version = search.get(KEYS.version);
  return {
    ...(sub && rg && vault ? { vault: { subscriptionId: sub, resourceGroup: rg, vaultName: vault } } : {}),
    ...(cert && version ? { certificate: { name: cert, version } } : {}),
  };
}

export function stateToSearch(state: WizardState): string {
  const q = new URLSearchParams();
  if (state.vault) {
    q.set(KEYS.subscriptionId, state.vault.subscriptionId);
    q.set(KEYS.resourceGroup, state.vault.resourceGroup);
    q.set(KEYS.vaultName, state.vault.vaultName);
  }
  if (state.certificate) {
    q.set(KEYS.name, state.certificate.name);
    q.set(KEYS.version, state.certificate.version);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
