import 'server-only';
import type { SubscriptionSummary } from '@/lib/api/types';
import { subscriptionClient } from './clients';
import { toAppError } from './errors';
import type { AzureContext } from './types';

export async function listSubscriptions({ credential, config, upn }: AzureContext): Promise<SubscriptionSummary[]> {
  try {
    const out: SubscriptionSummary[] = [];
    for await (const s of subscriptionClient(credential, config).subscriptions.list()) {
      if (s.subscriptionId)
        out.push({
          subscriptionId: s.subscriptionId,
          displayName: s.displayName ?? s.subscriptionId,
          state: s.state ?? 'Enabled',
        });
    }
    return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
  } catch (error) {
    throw toAppError(error, { operation: 'list-subscriptions', upn });
  }
}
