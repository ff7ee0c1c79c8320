import type { ArmRequest } from '../arm/request.js';
import { route, type Route } from '../router.js';
import { CloudServicesRp } from './cloudservices.js';

// Microsoft.Compute/cloudServices (azure-rest-api-specs CloudserviceRP 2022-09-04 / 2024-11-04), in the ARM table.
// Anything else under Microsoft.Compute (DELETE, start, restart, reimage, update domains, OS families, other resource
// types) is left unrouted, so ARM's strict 501 answers it.

const SUB = '/subscriptions/:subscriptionId/providers/Microsoft.Compute';
const CS = '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.Compute/cloudServices';
const ONE = `${CS}/:cloudServiceName`;

const rp = (r: ArmRequest) => new CloudServicesRp(r);

export const cloudServiceRoutes: Route<ArmRequest>[] = [
  route('GET', `${SUB}/cloudServices`, (r, p) => rp(r).listAll(p.subscriptionId!)),
  route('GET', `${SUB}/locations/:location/operations/:operationId`, (r, p) =>
    rp(r).operation(p.subscriptionId!, p.operationId!),
  ),
  route('GET', CS, (r, p) => rp(r).listByResourceGroup(p.subscriptionId!, p.resourceGroupName!)),
  route('GET', ONE, (r, p) => rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!)),
  route('PUT', ONE, (r, p) => rp(r).putService(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!)),
  route('PATCH', ONE, (r, p) => rp(r).patchService(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!)),
  route('GET', `${ONE}/instanceView`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'instanceView'),
  ),
  route('GET', `${ONE}/roles`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'roles'),
  ),
  route('GET', `${ONE}/roles/:roleName`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'role', p.roleName!),
  ),
  route('GET', `${ONE}/roleInstances`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'roleInstances'),
  ),
  route('GET', `${ONE}/roleInstances/:roleInstanceName`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'roleInstance', p.roleInstanceName!),
  ),
  route('GET', `${ONE}/roleInstances/:roleInstanceName/instanceView`, (r, p) =>
    rp(r).read(p.subscriptionId!, p.resourceGroupName!, p.cloudServiceName!, 'roleInstanceView', p.roleInstanceName!),
  ),
];
