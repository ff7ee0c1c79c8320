import { cloudServiceRoutes } from '../compute/routes.js';
import { RouteTable } from '../router.js';
import { accessPolicyRoutes } from './access-policies.js';
import { authorizationRoutes } from './authorization.js';
import { deletedVaultRoutes } from './deleted-vaults.js';
import type { ArmRequest } from './request.js';
import { resourceGroupRoutes } from './resource-groups.js';
import { resourceRoutes } from './resources.js';
import { subscriptionRoutes } from './subscriptions.js';
import { vaultRoutes } from './vaults.js';

/**
 * Every ARM operation the sandbox answers, one list per handler family. ARM matches path segments case-insensitively
 * (`resourcegroups`, `microsoft.keyvault`) and the SDKs send `//` for an empty parent resource path. A new resource
 * provider adds its own `…Routes` list here.
 */
export const armRoutes = new RouteTable<ArmRequest>({ caseSensitive: false, ignoreDuplicateSlashes: true })
  .add(subscriptionRoutes)
  .add(resourceGroupRoutes)
  .add(resourceRoutes)
  .add(vaultRoutes)
  .add(accessPolicyRoutes)
  .add(deletedVaultRoutes)
  .add(authorizationRoutes)
  .add(cloudServiceRoutes);
