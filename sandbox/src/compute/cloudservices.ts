import { azError } from '../errors.js';
import { newGuid } from '../ids.js';
import { sendJson } from '../http.js';
import { hasAction } from '../rbac.js';
import {
  checkApiVersion,
  jsonBody,
  requireAction,
  rgOr404,
  subscriptionOr404,
  type ApiVersions,
  type ArmRequest,
} from '../arm/request.js';
import * as E from './errors.js';
import { cloudServiceId, type CloudServiceRecord, type CloudServiceModel, type VaultSecretGroup } from './model.js';
import { validateUpdate } from './validate.js';

/** api-versions of Microsoft.Compute/cloudServices (azure-rest-api-specs CloudserviceRP/stable). */
export const CLOUD_SERVICES_API: ApiVersions = {
  versions: ['2020-10-01-preview', '2021-03-01', '2022-04-04', '2022-09-04', '2024-11-04'],
  type: 'cloudServices',
  namespace: 'Microsoft.Compute',
};
const READ = 'Microsoft.Compute/cloudServices/read';
const WRITE = 'Microsoft.Compute/cloudServices/write';
const OPERATION_READ = 'Microsoft.Compute/locations/operations/read';

/** How long an update stays `Updating` (fault rule `{area:"cloudServices", delayMs}` overrides it per request). */
function defaultOperationDelayMs(): number {
  const v = Number(process.env.SANDBOX_CS_OPERATION_DELAY_MS);
  return Number.isFinite(v) && v >= 0 ? v : 1500;
}

function pageSize(): number {
  const v = Number(process.env.SANDBOX_CS_PAGE_SIZE);
  return Number.isInteger(v) && v > 0 ? v : 25;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The Microsoft.Compute/cloudServices resource provider: list (subscription / resource group, paged), GET, PUT and
 * PATCH as long-running operations, roles, role instances and the instance view. Everything else under
 * Microsoft.Compute answers 501. PUT validates what the real RP validates (src/compute/validate.ts).
 */
export class CloudServicesRp {
  constructor(private readonly r: ArmRequest) {}

  private get state() {
    return this.r.d.store.state;
  }

  private get caller() {
    return this.r.caller;
  }

  private save(): void {
    this.r.d.store.save();
  }

  /** The sandbox's port, as the client addressed it. */
  private port(): string {
    return new URL(this.r.ctx.origin).port;
  }

  private services(): CloudServiceRecord[] {
    return (this.state.cloudServices ??= []);
  }

  /** GET /subscriptions/{sub}/providers/Microsoft.Compute/cloudServices */
  listAll(subId: string): void {
    this.checkApiVersion();
    const sub = this.subscriptionOr404(subId, READ);
    this.list(`/subscriptions/${sub.subscriptionId}`, (cs) => cs.subscriptionId === sub.subscriptionId);
  }

  /** GET /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/cloudServices */
  listByResourceGroup(subId: string, rgName: string): void {
    this.checkApiVersion();
    this.subscriptionOr404(subId, READ);
    const rg = this.rgOr404(subId, rgName);
    this.list(
      `/subscriptions/${rg.subscriptionId}/resourceGroups/${rg.name}`,
      (cs) => cs.subscriptionId === rg.subscriptionId && eq(cs.resourceGroup, rg.name),
    );
  }

  /** GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{location}/operations/{id} */
  operation(subId: string, opId: string): void {
    this.checkApiVersion();
    this.subscriptionOr404(subId, OPERATION_READ);
    this.operationStatus(subId, opId);
  }

  async putService(subId: string, rg: string, name: string): Promise<void> {
    this.checkApiVersion();
    await this.put(subId, rg, name, cloudServiceId({ subscriptionId: subId, resourceGroup: rg, name }));
  }

  async patchService(subId: string, rg: string, name: string): Promise<void> {
    this.checkApiVersion();
    await this.patch(subId, rg, name, cloudServiceId({ subscriptionId: subId, resourceGroup: rg, name }));
  }

  /** GET of the service or one of its read-only children (`child`: instanceView, roles, roleInstances). */
  read(
    subId: string,
    rgName: string,
    name: string,
    child?: 'instanceView' | 'roles' | 'role' | 'roleInstances' | 'roleInstance' | 'roleInstanceView',
    childName = '',
  ): void {
    const ctx = this.r.ctx;
    const scope = cloudServiceId({ subscriptionId: subId, resourceGroup: rgName, name });
    this.checkApiVersion();
    this.subscriptionOr404(subId, READ, scope);
    this.require(READ, scope);
    this.rgOr404(subId, rgName);
    const cs = this.find(subId, rgName, name);
    if (!cs) throw E.resourceNotFound(rgName, name);
    this.settle(cs);
    const api = ctx.query.get('api-version')!;
    if (!child) sendJson(ctx, 200, this.json(cs, api));
    else if (child === 'instanceView') sendJson(ctx, 200, this.instanceView(cs));
    else if (child === 'roles') sendJson(ctx, 200, this.paged(this.roles(cs), ctx.pathname));
    else if (child === 'role') {
      const role = this.roles(cs).find((x) => eq(x.name, childName));
      if (!role) throw E.roleNotFound(cs.name, childName);
      sendJson(ctx, 200, role);
    } else if (child === 'roleInstances')
      sendJson(ctx, 200, this.paged(this.roleInstances(cs, ctx.query.get('$expand') === 'instanceView'), ctx.pathname));
    else {
      const view = child === 'roleInstanceView';
      const inst = this.roleInstances(cs, view || ctx.query.get('$expand') === 'instanceView').find((x) =>
        eq(x.name, childName),
      );
      if (!inst) throw E.roleInstanceNotFound(cs.name, childName);
      sendJson(ctx, 200, view ? inst.properties.instanceView : inst);
    }
  }

  // ---- ARM plumbing ----------------------------------------------------------------------------------------

  private checkApiVersion(): void {
    checkApiVersion(this.r.ctx, CLOUD_SERVICES_API);
  }

  private require(action: string, scope: string): void {
    requireAction(this.r.d, this.caller, action, scope);
  }

  /** 404 for an unknown subscription; 403 for the operation when the caller has no role anywhere in it (as ARM). */
  private subscriptionOr404(subId: string, action: string, scope = `/subscriptions/${subId}`) {
    return subscriptionOr404(this.r.d, this.caller, subId, action, scope);
  }

  private rgOr404(subId: string, rg: string) {
    return rgOr404(this.r.d, subId, rg);
  }

  private find(subId: string, rg: string, name: string): CloudServiceRecord | undefined {
    return this.services().find((c) => eq(c.subscriptionId, subId) && eq(c.resourceGroup, rg) && eq(c.name, name));
  }

  /** `$skiptoken` paging with nextLink on the caller's origin (page size: SANDBOX_CS_PAGE_SIZE, default 25). */
  private paged<T>(items: T[], path: string): { value: T[]; nextLink?: string } {
    const ctx = this.r.ctx;
    const tok = ctx.query.get('$skiptoken');
    const start = tok
      ? Number(
          Buffer.from(tok, 'base64url')
            .toString('utf8')
            .replace(/^skip:/, ''),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0) throw azError(400, 'InvalidParameter', 'The $skiptoken is invalid.');
    const size = pageSize();
    const out: { value: T[]; nextLink?: string } = { value: items.slice(start, start + size) };
    if (start + size < items.length) {
      const api = encodeURIComponent(ctx.query.get('api-version')!);
      const expand = ctx.query.get('$expand');
      const token = Buffer.from(`skip:${start + size}`).toString('base64url');
      out.nextLink = `${ctx.origin}${path}?api-version=${api}&$skiptoken=${token}${expand ? `&$expand=${encodeURIComponent(expand)}` : ''}`;
    }
    return out;
  }

  private list(scope: string, pick: (cs: CloudServiceRecord) => boolean): void {
    const { ctx, caller } = this.r;
    const all = this.services().filter(pick);
    const readable = all.filter((cs) => hasAction(this.state, caller.oid, cloudServiceId(cs), READ));
    if (readable.length === 0 && !hasAction(this.state, caller.oid, scope, READ))
      throw E.authorizationFailed(caller, READ, scope);
    readable.forEach((cs) => this.settle(cs));
    const api = ctx.query.get('api-version')!;
    sendJson(
      ctx,
      200,
      this.paged(
        readable.map((cs) => this.json(cs, api)),
        ctx.pathname,
      ),
    );
  }

  // ---- shapes ----------------------------------------------------------------------------------------------

  /** certificateUrls are stored port-less for the sandbox's vault hosts and shown with the running port. */
  private renderSecrets(groups: VaultSecretGroup[], api: string): VaultSecretGroup[] {
    const port = this.port();
    return groups.map((g) => ({
      sourceVault: { id: g.sourceVault.id },
      vaultCertificates: g.vaultCertificates.map((v) => ({
        certificateUrl: v.certificateUrl.replace(
          /^(https:\/\/[^/:]+\.vault\.localhost)(:\d+)?\//i,
          (_m, host: string) => `${host}:${port}/`,
        ),
        ...(api >= '2024-11-04' && v.isBootstrapCertificate !== undefined
          ? { isBootstrapCertificate: v.isBootstrapCertificate }
          : {}),
      })),
    }));
  }

  json(cs: CloudServiceRecord, api: string): Record<string, unknown> {
    const { configuration, upgradeMode, roleProfile, osProfile, ...others } = cs.model;
    return {
      name: cs.name,
      id: cloudServiceId(cs),
      type: 'Microsoft.Compute/cloudServices',
      location: cs.location,
      ...(Object.keys(cs.tags).length ? { tags: cs.tags } : {}),
      properties: {
        configuration,
        upgradeMode,
        roleProfile,
        osProfile: { secrets: this.renderSecrets(osProfile.secrets, api) },
        ...others,
        provisioningState: cs.provisioningState,
        uniqueId: cs.uniqueId,
      },
      systemData: { createdAt: cs.createdAt, lastModifiedAt: cs.lastModifiedAt },
    };
  }

  private roles(cs: CloudServiceRecord) {
    return cs.model.roleProfile.roles.map((r) => ({
      name: r.name,
      id: `${cloudServiceId(cs)}/roles/${r.name}`,
      type: 'Microsoft.Compute/cloudServices/roles',
      location: cs.location,
      sku: r.sku,
      properties: { uniqueId: `${cs.uniqueId}:${r.name}` },
    }));
  }

  private roleInstances(cs: CloudServiceRecord, withView: boolean) {
    return cs.model.roleProfile.roles.flatMap((r) =>
      Array.from({ length: r.sku.capacity }, (_, i) => {
        const name = `${r.name}_IN_${i}`;
        const id = `${cloudServiceId(cs)}/roleInstances/${name}`;
        return {
          name,
          id,
          type: 'Microsoft.Compute/cloudServices/roleInstances',
          location: cs.location,
          sku: { name: r.sku.name, tier: r.sku.tier },
          properties: {
            networkProfile: { networkInterfaces: [{ id: `${id}/networkInterfaces/nic1` }] },
            ...(withView ? { instanceView: this.roleInstanceView(cs, i) } : {}),
          },
        };
      }),
    );
  }

  private roleInstanceView(cs: CloudServiceRecord, i: number) {
    return {
      platformUpdateDomain: i,
      platformFaultDomain: i % 2,
      privateId: cs.privateId,
      statuses: [
        { code: 'RoleState/RoleStateStarted', level: 'Info', displayStatus: 'Role Started', time: cs.lastModifiedAt },
      ],
    };
  }

  private instanceView(cs: CloudServiceRecord) {
    const count = cs.model.roleProfile.roles.reduce((n, r) => n + r.sku.capacity, 0);
    const state = cs.provisioningState.toLowerCase();
    return {
      roleInstance: {
        statusesSummary: [
          { code: `ProvisioningState/${state}`, count },
          { code: 'PowerState/started', count },
          { code: 'RoleState/RoleStateStarted', count },
        ],
      },
      sdkVersion: '2.9.6496.3',
      privateIds: [cs.privateId],
      statuses: [
        {
          code: `ProvisioningState/${state}`,
          level: cs.provisioningState === 'Failed' ? 'Error' : 'Info',
          displayStatus: `Provisioning ${state}`,
          time: cs.lastModifiedAt,
        },
        { code: 'PowerState/started', level: 'Info', displayStatus: 'Started', time: cs.lastModifiedAt },
        {
          code: 'CurrentUpgradeDomain/-1',
          level: 'Info',
          displayStatus: 'Current Upgrade Domain of cloud service is -1.',
        },
        {
          code: `MaxUpgradeDomain/${Math.max(0, ...cs.model.roleProfile.roles.map((r) => r.sku.capacity - 1))}`,
          level: 'Info',
          displayStatus: `Max Upgrade Domain of cloud service is ${Math.max(0, ...cs.model.roleProfile.roles.map((r) => r.sku.capacity - 1))}.`,
        },
      ],
    };
  }

  // ---- long-running updates ----------------------------------------------------------------------------

  /** Ends a finished operation (lazily, on the next read): Succeeded, or Failed with the previous model restored. */
  private settle(cs: CloudServiceRecord): void {
    const op = cs.operation;
    if (!op || op.status || Date.now() < op.readyAt) return;
    op.endTime = new Date().toISOString();
    if (op.error) {
      op.status = 'Failed';
      if (op.previous) {
        cs.model = op.previous.model;
        cs.tags = op.previous.tags;
      }
      cs.provisioningState = 'Failed';
    } else {
      op.status = 'Succeeded';
      cs.provisioningState = 'Succeeded';
    }
    delete op.previous;
    this.save();
  }

  private operationStatus(subId: string, opId: string): void {
    const ctx = this.r.ctx;
    this.require(OPERATION_READ, `/subscriptions/${subId}`);
    const cs = this.services().find((c) => eq(c.subscriptionId, subId) && c.operation?.id === opId.toLowerCase());
    if (!cs || !cs.operation) throw azError(404, 'NotFound', `The operation '${opId}' was not found.`); // UNVERIFIED text
    this.settle(cs);
    const op = cs.operation;
    sendJson(ctx, 200, {
      startTime: op.startTime,
      ...(op.endTime ? { endTime: op.endTime } : {}),
      status: op.status ?? 'InProgress',
      ...(op.error && op.status ? { error: op.error } : {}),
      name: op.id,
    });
  }

  /** Starts the operation, answers 200 with the resource (`Updating`) and its Azure-AsyncOperation URL. */
  private begin(cs: CloudServiceRecord, kind: 'Update' | 'UpdateTags', apply: () => void): void {
    const { ctx, caller } = this.r;
    const fault = this.r.d.faults!.take('cloudServices', undefined, ctx.method, ctx.pathname, true);
    if (fault.kind === 'status') {
      const body = {
        code: fault.rule.code ?? E.FORCED_FAILURE.code,
        message: fault.rule.message ?? E.FORCED_FAILURE.message,
      };
      throw azError(fault.status, body.code, body.message, undefined, fault.headers);
    }
    const previous = { model: structuredClone(cs.model), tags: { ...cs.tags } };
    apply();
    const now = new Date();
    const delay = fault.kind === 'delay' ? fault.ms : fault.kind === 'fail' ? fault.delayMs : defaultOperationDelayMs();
    cs.operation = {
      id: newGuid(),
      kind,
      startTime: now.toISOString(),
      readyAt: now.getTime() + delay,
      previous,
      ...(fault.kind === 'fail'
        ? {
            error: {
              code: fault.rule.code ?? E.FORCED_FAILURE.code,
              message: fault.rule.message ?? E.FORCED_FAILURE.message,
            },
          }
        : {}),
    };
    cs.provisioningState = 'Updating';
    cs.lastModifiedAt = now.toISOString();
    cs.lastModifiedBy = caller.upn;
    this.save();
    const api = ctx.query.get('api-version')!;
    const op = `${ctx.origin}/subscriptions/${cs.subscriptionId}/providers/Microsoft.Compute/locations/${cs.location}/operations/${cs.operation.id}?api-version=${api}`;
    sendJson(ctx, 200, this.json(cs, api), { 'azure-asyncoperation': op });
  }

  private async existingForWrite(
    subId: string,
    rg: string,
    name: string,
    scope: string,
  ): Promise<{ cs: CloudServiceRecord | undefined; body: Record<string, unknown> }> {
    this.subscriptionOr404(subId, WRITE, scope);
    this.require(WRITE, scope);
    this.rgOr404(subId, rg);
    const body = await jsonBody(this.r.ctx);
    const cs = this.find(subId, rg, name);
    if (cs) {
      this.settle(cs);
      if (cs.provisioningState === 'Updating') throw E.operationInProgress(cs.name);
    }
    return { cs, body };
  }

  private async put(subId: string, rg: string, name: string, scope: string) {
    const { cs, body } = await this.existingForWrite(subId, rg, name, scope);
    // §1.7: creating a cloud service is refused since 2026; only updates of existing services go through.
    if (!cs) throw E.creationRetired();
    const location = typeof body.location === 'string' ? body.location.toLowerCase().replace(/\s+/g, '') : '';
    if (!location) throw azError(400, 'LocationRequired', 'The location property is required for this definition.');
    if (location !== cs.location)
      throw E.locationMismatch(cs.name, cs.location, cs.resourceGroup, String(body.location));
    const model: CloudServiceModel = validateUpdate({
      store: this.r.d.store,
      caller: this.caller,
      cs,
      properties: body.properties,
      writeAction: WRITE,
    });
    const tags = body.tags === undefined || body.tags === null ? {} : body.tags;
    if (typeof tags !== 'object' || Array.isArray(tags)) throw E.invalidRequestContent("'tags' must be an object");
    this.begin(cs, 'Update', () => {
      cs.model = model;
      cs.tags = tags as Record<string, string>;
    });
  }

  private async patch(subId: string, rg: string, name: string, scope: string) {
    const { cs, body } = await this.existingForWrite(subId, rg, name, scope);
    if (!cs) throw E.resourceNotFound(rg, name);
    const extra = Object.keys(body).filter((k) => k !== 'tags');
    if (extra.length) throw E.invalidParameter(`Only 'tags' can be updated with PATCH; found '${extra.join("', '")}'.`);
    const tags = body.tags ?? {};
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags))
      throw E.invalidRequestContent("'tags' must be an object");
    this.begin(cs, 'UpdateTags', () => {
      cs.tags = tags as Record<string, string>;
    });
  }
}
