import { withUser } from '@/lib/api/handler';
import { listSubscriptions } from '@/lib/azure/subscriptions';

// GET /api/subscriptions – subscriptions the signed-in user can see
export const GET = withUser({}, async ({ azure }) => ({ subscriptions: await listSubscriptions(azure) }));
