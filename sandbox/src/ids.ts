import { randomBytes, randomUUID } from 'node:crypto';

/** Fixed identifiers from docs/contracts.md (seed). */
export const TENANT_ID = '8d3c5a1e-6f2b-4c9d-9e1a-5b7f0c2d4e6a';
export const TENANT_NAME = 'Contoso Sandbox';
export const APP_CLIENT_ID = '5b0c8a44-2f6e-4d3b-9a71-3c9e2f1d7a10';
export const PUBLIC_CLIENT_ID = '0e6d2b7c-9a4f-4c1e-8b3d-6f2a1c5e9d34';
/** Sandbox-only secret of the API's app registration (published in endpoints.json on purpose). */
export const APP_CLIENT_SECRET = 'sbx~SandboxOnlySecret.NotValidInAzure-5b0c8a44';
export const SUB_PROD = '0b1f6471-1bf0-4dda-aec3-111122223333';
export const SUB_STAGING = '5c2e8f90-3a7b-4d1c-b2e4-444455556666';
export const PERSONA_PASSWORD = 'Sandbox-Passw0rd!';

/** A GUID as ARM and the seed accept it (any case). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ARM_AUDIENCE = 'https://management.azure.com';
export const VAULT_AUDIENCE = 'https://vault.azure.net';
export const VAULT_DNS_SUFFIX = 'vault.localhost';

export const ROLE = {
  owner: { id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', name: 'Owner' },
  contributor: { id: 'b24988ac-6180-42a0-ab88-20f7382dd24c', name: 'Contributor' },
  reader: { id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', name: 'Reader' },
  kvAdministrator: { id: '00482a5a-887f-4fb3-b363-3b7fe8e74483', name: 'Key Vault Administrator' },
  kvCertificatesOfficer: { id: 'a4417e6f-fecd-4de8-b567-7b0420556985', name: 'Key Vault Certificates Officer' },
  kvCertificateUser: { id: 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba', name: 'Key Vault Certificate User' },
  kvSecretsUser: { id: '4633458b-17de-408a-b874-0445c86b69e6', name: 'Key Vault Secrets User' },
  kvSecretsOfficer: { id: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7', name: 'Key Vault Secrets Officer' },
  kvReader: { id: '21090545-7ca7-4776-b22c-e363652d74d2', name: 'Key Vault Reader' },
  kvContributor: { id: 'f25e0fa2-a7c8-4377-a976-54943a77a395', name: 'Key Vault Contributor' },
} as const;

/** 32 lowercase hex characters, like Key Vault object versions. */
export function newVersion(): string {
  return randomBytes(16).toString('hex');
}

export function newGuid(): string {
  return randomUUID();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
