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

/** The cloud service the certificate is for (preflight). */
export interface WizardTarget {
  subscriptionId: string;
  location: string;
}

/** How the certificate appears in the .cscfg/.csdef. */
export interface WizardService {
  roles: string[];
  /** Name in the service files; defaults to the Key Vault certificate name. */
  name?: string;
  storeLocation?: string;
  storeName?: string;
}

export interface WizardState {
  vault?: WizardVault;
  certificate?: WizardCertificate;
  target?: WizardTarget;
  service?: WizardService;
}

const KEYS = {
  subscriptionId: 'sub',
  resourceGroup: 'rg',
  vaultName: 'vault',
  name: 'cert',
  version: 'version',
  targetSubscription: 'tsub',
  targetLocation: 'tloc',
  roles: 'roles',
  serviceName: 'cname',
  store: 'store',
} as const;

/** Keys this module owns in the query string (others, e.g. `intent`, pass through untouched). */
export const STATE_KEYS: readonly string[] = Object.values(KEYS);

export function stateFromSearch(search: URLSearchParams): WizardState {
  const sub = search.get(KEYS.subscriptionId);
  const rg = search.get(KEYS.resourceGroup);
  const vault = search.get(KEYS.vaultName);
  const cert = search.get(KEYS.name);
  const version = search.get(KEYS.version);
  const tsub = search.get(KEYS.targetSubscription);
  const tloc = search.get(KEYS.targetLocation);
  const roles = search.get(KEYS.roles);
  const cname = search.get(KEYS.serviceName);
  const store = search.get(KEYS.store);
  const service: WizardService | undefined =
    roles !== null || cname || store
      ? {
          roles: (roles ?? '')
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
          ...(cname ? { name: cname } : {}),
          ...(store && store.includes('/')
            ? { storeLocation: store.split('/')[0]!, storeName: store.split('/').slice(1).join('/') }
            : {}),
        }
      : undefined;
  return {
    ...(sub && rg && vault ? { vault: { subscriptionId: sub, resourceGroup: rg, vaultName: vault } } : {}),
    ...(cert && version ? { certificate: { name: cert, version } } : {}),
    ...(tsub && tloc ? { target: { subscriptionId: tsub, location: tloc } } : {}),
    ...(service ? { service } : {}),
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
  if (state.target) {
    q.set(KEYS.targetSubscription, state.target.subscriptionId);
    q.set(KEYS.targetLocation, state.target.location);
  }
  if (state.service) {
    q.set(KEYS.roles, state.service.roles.join(','));
    if (state.service.name) q.set(KEYS.serviceName, state.service.name);
    if (state.service.storeLocation && state.service.storeName)
      q.set(KEYS.store, `${state.service.storeLocation}/${state.service.storeName}`);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
