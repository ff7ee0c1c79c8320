import { z } from 'zod';
import { withUser } from '@/lib/api/handler';
import { vaultParamsSchema } from '@/lib/api/schemas';
import { getVault, setEnabledForDeployment } from '@/lib/azure/vaults';

const vaultRef = (p: z.infer<typeof vaultParamsSchema>) => ({
  subscriptionId: p.subscriptionId,
  resourceGroup: p.resourceGroup,
  vaultName: p.vaultName,
});

// GET /api/subscriptions/{sub}/resource-groups/{rg}/vaults/{vault} – one vault's access configuration
export const GET = withUser({ summary: 'Get a key vault', params: vaultParamsSchema }, async ({ azure, params }) =>
  getVault(azure, vaultRef(params)),
);

// PATCH …/vaults/{vault} – turn "Azure Virtual Machines for deployment" on or off
export const PATCH = withUser(
  {
    summary: 'Turn Azure Virtual Machines for deployment on or off',
    params: vaultParamsSchema,
    body: z.object({ enabledForDeployment: z.boolean() }).strict(),
  },
  async ({ azure, params, body, user, requestId }) =>
    setEnabledForDeployment(azure, vaultRef(params), body.enabledForDeployment, { user, requestId }),
);
