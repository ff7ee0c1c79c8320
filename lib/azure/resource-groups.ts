import 'server-only';
import { AppError } from '@/lib/errors';
import { audit } from '@/lib/log';
import { resourceManagementClient } from './clients';
import { toAppError } from './errors';
import type { ResourceGroupSummary } from '@/lib/api/types';
import type { AuditInfo, AzureContext } from './types';

/** The subscription's resource groups the user can see, by name. */
export async function listResourceGroups(
  { credential, config, upn }: AzureContext,
  subscriptionId: string,
): Promise<ResourceGroupSummary[]> {
  try {
    const out: ResourceGroupSummary[] = [];
    for await (const g of resourceManagementClient(credential, config, subscriptionId).resourceGroups.list()) {
      if (g.name) out.push({ name: g.name, location: g.location ?? '' });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    throw toAppError(error, { operation: 'list-resource-groups', scope: `/subscriptions/${subscriptionId}`, upn });
  }
}

/** Creates (or keeps) a resource group. */
export async function createResourceGroup(
  ctx: AzureContext,
  subscriptionId: string,
  name: string,
  location: string,
  who: AuditInfo,
): Promise<ResourceGroupSummary> {
  try {
    const g = await resourceManagementClient(ctx.credential, ctx.config, subscriptionId).resourceGroups.createOrUpdate(
      name,
      { location },
    );
    audit('resourceGroup.created', {
      requestId: who.requestId,
      oid: who.user.oid,
      upn: who.user.username,
      subscriptionId,
      resourceGroup: name,
    });
    return { name: g.name ?? name, location: g.location ?? location };
  } catch (error) {
    const e = toAppError(error, {
      operation: 'create-resource-group',
      scope: `/subscriptions/${subscriptionId}`,
      upn: ctx.upn,
    });
    if (e.code !== 'forbidden' || !e.advice) throw e;
    throw new AppError({
      code: 'forbidden',
      reason: e.reason ?? 'AuthorizationFailed',
      message: `You may not create resource groups in this subscription.`,
      action: `Pick an existing resource group, or: ${e.action}`,
      advice: { ...e.advice, ask: `Pick an existing resource group, or: ${e.advice.ask}` },
    });
  }
}
