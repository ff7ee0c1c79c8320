import 'server-only';
import { createHttpHeaders, createPipelineRequest, RestError, type HttpMethods } from '@azure/core-rest-pipeline';
import type { LiveService, SecretGroup } from '@/lib/cloud-services';
import type { PermissionEntry } from '@/lib/cloud-services/permissions';
import { AppError } from '@/lib/errors';
import { armClient } from './clients';
import { toAppError, type Operation } from './errors';
import type { AzureContext } from './types';

/**
 * `Microsoft.Compute/cloudServices` over Azure's core pipeline (decision 032): list, get, PUT as a long-running
 * operation, the operation poll, and the caller's permissions at a scope. Bodies stay JSON as ARM sent them, so a PUT
 * keeps every property this app does not change.
 */
export const CLOUD_SERVICES_API_VERSION = '2024-11-04';
const PERMISSIONS_API_VERSION = '2022-04-01';

export interface CloudServiceRef {
  subscriptionId: string;
  resourceGroup: string;
  cloudServiceName: string;
}

/** The resource as ARM returned it. */
export interface RawCloudService {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  zones?: string[];
  systemData?: unknown;
  properties?: {
    configuration?: string;
    configurationUrl?: string;
    provisioningState?: string;
    uniqueId?: string;
    osProfile?: { secrets?: SecretGroup[] };
    roleProfile?: { roles?: Array<{ name?: string }> };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const serviceId = (r: CloudServiceRef) =>
  `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.Compute/cloudServices/${r.cloudServiceName}`;

const ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/cloudServices\/([^/]+)$/i;

export function toLiveService(raw: RawCloudService): LiveService {
  const m = ID.exec(raw.id ?? '');
  const p = raw.properties ?? {};
  return {
    id: raw.id ?? '',
    subscriptionId: m?.[1] ?? '',
    resourceGroup: m?.[2] ?? '',
    name: raw.name ?? m?.[3] ?? '',
    location: raw.location ?? '',
    provisioningState: p.provisioningState ?? null,
    configuration: typeof p.configuration === 'string' ? p.configuration : null,
    secrets: Array.isArray(p.osProfile?.secrets) ? p.osProfile!.secrets! : [],
    roles: (p.roleProfile?.roles ?? []).map((r) => r.name ?? '').filter(Boolean),
    tags: raw.tags ?? {},
  };
}

interface ArmResponse {
  status: number;
  body: unknown;
  headers: { get(name: string): string | undefined };
}

/** One ARM request with the user's token. Non-2xx answers become `RestError`s carrying Azure's error body. */
async function arm(
  ctx: AzureContext,
  method: HttpMethods,
  pathOrUrl: string,
  operation: Operation,
  body?: unknown,
  apiVersion: string | null = CLOUD_SERVICES_API_VERSION,
): Promise<ArmResponse> {
  const base = new URL(ctx.config.armEndpoint);
  const url = new URL(pathOrUrl, base);
  if (url.origin !== base.origin) {
    throw new AppError({
      code: 'bad_request',
      reason: 'UntrustedArmLink',
      message: 'ARM answered with a link to another host; it was not followed.',
      action: 'Retry; if this repeats, check the app’s ARM endpoint setting.',
    });
  }
  if (apiVersion && !url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
  const client = armClient(ctx.credential, ctx.config);
  let response;
  try {
    response = await client.sendRequest(
      createPipelineRequest({
        url: url.href,
        method,
        headers: createHttpHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }),
    );
  } catch (error) {
    throw toAppError(error, { operation, upn: ctx.upn });
  }
  let parsed: unknown;
  try {
    parsed = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.status >= 400) {
    const e = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    const error = new RestError(e?.message ?? `ARM answered ${response.status}`, {
      statusCode: response.status,
      code: e?.code,
      response,
    });
    (error as RestError & { details?: unknown }).details = parsed;
    throw error;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Runs ARM requests; a failure is mapped with who asked and where (the advice's command is then theirs, exactly). */
async function call<T>(ctx: AzureContext, scope: string, run: () => Promise<T>, operation: Operation): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toAppError(error, { operation, scope, upn: ctx.upn });
  }
}

/** Every cloud service of a subscription (or one resource group), following `nextLink`. */
export async function listCloudServices(
  ctx: AzureContext,
  subscriptionId: string,
  resourceGroup?: string,
): Promise<RawCloudService[]> {
  return call(
    ctx,
    `/subscriptions/${subscriptionId}${resourceGroup ? `/resourceGroups/${resourceGroup}` : ''}`,
    async () => {
      const out: RawCloudService[] = [];
      let next: string | undefined =
        `/subscriptions/${subscriptionId}${resourceGroup ? `/resourceGroups/${resourceGroup}` : ''}/providers/Microsoft.Compute/cloudServices`;
      for (let page = 0; next && page < 200; page++) {
        const r = await arm(ctx, 'GET', next, 'list-cloud-services');
        const b = (r.body ?? {}) as { value?: RawCloudService[]; nextLink?: string };
        out.push(...(b.value ?? []));
        next = b.nextLink || undefined;
      }
      return out;
    },
    'list-cloud-services',
  );
}

export async function getCloudService(ctx: AzureContext, ref: CloudServiceRef): Promise<RawCloudService> {
  return call(
    ctx,
    serviceId(ref),
    async () => (await arm(ctx, 'GET', serviceId(ref), 'get-cloud-service')).body as RawCloudService,
    'get-cloud-service',
  );
}

/** The body of a PUT that changes only the configuration and osProfile.secrets: every other property as ARM sent it. */
export function updateBody(raw: RawCloudService, configuration: string, secrets: SecretGroup[]): RawCloudService {
  const { id: _id, name: _name, type: _type, systemData: _s, properties = {}, ...top } = raw;
  const { provisioningState: _p, uniqueId: _u, configurationUrl: _c, ...props } = properties;
  void [_id, _name, _type, _s, _p, _u, _c];
  return {
    ...top,
    properties: {
      ...props,
      configuration,
      osProfile: { ...((props.osProfile as object | undefined) ?? {}), secrets },
    },
  };
}

/** What the browser polls: which URL ARM gave for the operation, checked again on every poll. */
interface OperationPointer {
  kind: 'async' | 'location' | 'resource';
  path: string;
}

function encodeOperation(p: OperationPointer): string {
  return Buffer.from(JSON.stringify(p), 'utf8').toString('base64url');
}

function decodeOperation(token: string, ctx: AzureContext, ref: CloudServiceRef): OperationPointer {
  let p: OperationPointer | undefined;
  try {
    p = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as OperationPointer;
  } catch {
    p = undefined;
  }
  const prefix = `/subscriptions/${ref.subscriptionId}/`.toLowerCase();
  if (
    !p ||
    !['async', 'location', 'resource'].includes(p.kind) ||
    typeof p.path !== 'string' ||
    !p.path.toLowerCase().startsWith(prefix) ||
    /[\s\\]|\/\.\.?\//.test(p.path) ||
    (p.kind === 'resource' && p.path.toLowerCase() !== serviceId(ref).toLowerCase())
  ) {
    throw new AppError({
      code: 'bad_request',
      reason: 'InvalidOperationToken',
      message: 'This operation does not belong to this cloud service.',
      action: 'Open the service page again; its state is read fresh.',
    });
  }
  void ctx;
  return p;
}

function pointerFrom(headers: ArmResponse['headers'], ctx: AzureContext, ref: CloudServiceRef): OperationPointer {
  const base = new URL(ctx.config.armEndpoint);
  for (const [kind, name] of [
    ['async', 'azure-asyncoperation'],
    ['location', 'location'],
  ] as const) {
    const value = headers.get(name);
    if (!value) continue;
    try {
      const u = new URL(value, base);
      if (
        u.origin === base.origin &&
        u.pathname.toLowerCase().startsWith(`/subscriptions/${ref.subscriptionId}/`.toLowerCase())
      )
        return { kind, path: `${u.pathname}${u.search}` };
    } catch {
      // not a URL: fall through to the resource's own state
    }
  }
  return { kind: 'resource', path: serviceId(ref) };
}

/** Sends the PUT; returns at once with the operation to poll (Azure-AsyncOperation, else Location, else the resource). */
export async function putCloudService(
  ctx: AzureContext,
  ref: CloudServiceRef,
  body: RawCloudService,
): Promise<{ operation: string; resource: RawCloudService | null }> {
  const r = await arm(ctx, 'PUT', serviceId(ref), 'update-cloud-service', body).catch((error: unknown) => {
    throw toAppError(error, { operation: 'update-cloud-service', scope: serviceId(ref), upn: ctx.upn });
  });
  return {
    operation: encodeOperation(pointerFrom(r.headers, ctx, ref)),
    resource: (r.body as RawCloudService) ?? null,
  };
}

export interface OperationState {
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error: { code: string; message: string } | null;
}

export async function getCloudServiceOperation(
  ctx: AzureContext,
  ref: CloudServiceRef,
  token: string,
): Promise<OperationState> {
  const p = decodeOperation(token, ctx, ref);
  return call(
    ctx,
    serviceId(ref),
    async () => {
      const r = await arm(
        ctx,
        'GET',
        p.path,
        'get-cloud-service-operation',
        undefined,
        p.kind === 'resource' ? CLOUD_SERVICES_API_VERSION : null,
      );
      if (p.kind === 'location') return { status: r.status === 202 ? 'InProgress' : 'Succeeded', error: null };
      const b = (r.body ?? {}) as {
        status?: string;
        error?: { code?: string; message?: string };
        properties?: { provisioningState?: string };
      };
      const raw = (p.kind === 'async' ? b.status : b.properties?.provisioningState) ?? 'InProgress';
      const status: OperationState['status'] = /^succeeded$/i.test(raw)
        ? 'Succeeded'
        : /^failed$/i.test(raw)
          ? 'Failed'
          : /^cancel/i.test(raw)
            ? 'Canceled'
            : 'InProgress';
      return {
        status,
        error: b.error
          ? { code: b.error.code ?? 'OperationFailed', message: b.error.message ?? 'The operation failed.' }
          : null,
      };
    },
    'get-cloud-service-operation',
  );
}

/** The caller's effective actions at a scope (ARM's permissions API). */
export async function permissionsAt(ctx: AzureContext, scope: string): Promise<PermissionEntry[]> {
  return call(
    ctx,
    scope,
    async () => {
      const r = await arm(
        ctx,
        'GET',
        `${scope}/providers/Microsoft.Authorization/permissions`,
        'read-permissions',
        undefined,
        PERMISSIONS_API_VERSION,
      );
      return ((r.body ?? {}) as { value?: PermissionEntry[] }).value ?? [];
    },
    'read-permissions',
  );
}
