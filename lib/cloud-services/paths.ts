/** URLs of the "Cloud services" blade and its API (browser and server). */
const e = encodeURIComponent;

export interface ServiceLocator {
  subscriptionId: string;
  resourceGroup: string;
  cloudServiceName: string;
}

export const cloudServicesPage = (subscriptionId?: string) =>
  `/cloud-services${subscriptionId ? `?subscription=${e(subscriptionId)}` : ''}`;

export const servicePage = (s: ServiceLocator) =>
  `/cloud-services/${e(s.subscriptionId)}/${e(s.resourceGroup)}/${e(s.cloudServiceName)}`;

export const cloudServicesApi = (subscriptionId: string, resourceGroup?: string) =>
  resourceGroup
    ? `/api/subscriptions/${e(subscriptionId)}/resource-groups/${e(resourceGroup)}/cloud-services`
    : `/api/subscriptions/${e(subscriptionId)}/cloud-services`;

export const serviceApi = (s: ServiceLocator) =>
  `${cloudServicesApi(s.subscriptionId, s.resourceGroup)}/${e(s.cloudServiceName)}`;

/** Where Roll back records are kept in the tab (decision 033). */
export const rollbackStorageKey = (serviceId: string) => `cses.rollback.${serviceId.toLowerCase()}`;
