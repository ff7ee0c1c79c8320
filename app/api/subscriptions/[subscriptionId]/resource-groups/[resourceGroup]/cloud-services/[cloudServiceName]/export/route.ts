import { withUser } from '@/lib/api/handler';
import { cloudServiceParamsSchema, exportRequestSchema, exportResponse } from '@/lib/api/cloud-service-schemas';
import { exportServiceChange } from '@/lib/azure/cloud-service-rotation';

// POST …/cloud-services/{name}/export – the change as an ARM template + parameters, Update-AzCloudService, az rest
export const POST = withUser(
  {
    summary:
      'Export a rotation or roll back for someone with write rights (ARM template + parameters, PowerShell, az rest)',
    params: cloudServiceParamsSchema,
    body: exportRequestSchema,
    maxBodyBytes: 256 * 1024,
    response: exportResponse,
  },
  ({ azure, params, body }) => exportServiceChange(azure, params, body),
);
