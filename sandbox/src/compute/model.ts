/** Stored shape of a `Microsoft.Compute/cloudServices` resource (what a GET returns, minus ids and rendering). */
export interface VaultCertificateRef {
  certificateUrl: string;
  /** api-version 2024-11-04 and later */
  isBootstrapCertificate?: boolean;
}

export interface VaultSecretGroup {
  sourceVault: { id: string };
  vaultCertificates: VaultCertificateRef[];
}

export interface RoleProfileEntry {
  name: string;
  sku: { name: string; tier: string; capacity: number };
}

export interface CloudServiceModel {
  configuration: string;
  upgradeMode: string;
  roleProfile: { roles: RoleProfileEntry[] };
  osProfile: { secrets: VaultSecretGroup[] };
  networkProfile?: Record<string, unknown>;
  extensionProfile?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** A long-running update (PUT/PATCH) of a cloud service: done once `readyAt` has passed (checked lazily on read). */
export interface ComputeOperation {
  id: string;
  kind: 'Update' | 'UpdateTags';
  startTime: string;
  readyAt: number;
  /** set when the operation is forced to fail (fault switch); the previous model is restored */
  error?: { code: string; message: string };
  /** the model before the update, restored when the operation fails */
  previous?: { model: CloudServiceModel; tags: Record<string, string> };
  /** filled when the operation ends */
  status?: 'Succeeded' | 'Failed';
  endTime?: string;
}

export interface CloudServiceRecord {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
  uniqueId: string;
  /** private id of the deployment (instance view `privateIds`) */
  privateId: string;
  model: CloudServiceModel;
  provisioningState: 'Succeeded' | 'Updating' | 'Failed';
  createdAt: string;
  createdBy: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
  operation?: ComputeOperation;
}

export function cloudServiceId(cs: { subscriptionId: string; resourceGroup: string; name: string }): string {
  return `/subscriptions/${cs.subscriptionId}/resourceGroups/${cs.resourceGroup}/providers/Microsoft.Compute/cloudServices/${cs.name}`;
}
