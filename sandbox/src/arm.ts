import type { Ctx } from './http.js';
import { HttpError, azError, notImplemented, parseJsonBody, readBody, sendJson } from './http.js';
import { ARM_AUDIENCE, TENANT_ID } from './ids.js';
import { hasAction } from './rbac.js';
import type { Store, Vault, VaultProperties } from './state.js';
import { vaultId } from './state.js';
import { TokenError, bearerToken, type TokenService } from './tokens.js';

export interface ArmDeps {
  store: Store;
  tokens: TokenService;
  vaultUri: (name: string) => string;
}

export interface ArmCaller {
  oid: string;
  upn: string;
}

const SUBSCRIPTION_API_VERSIONS = ['2016-06-01', '2019-06-01', '2019-11-01', '2020-01-01', '2021-01-01', '2022-01-01', '2022-09-01', '2022-12-01'];
const RESOURCE_API_VERSIONS = ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2023-07-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-01-01', '2025-03-01', '2025-04-01'];
export const KEYVAULT_API_VERSIONS = [
  '2015-06-01', '2016-10-01', '2018-02-14', '2018-02-14-preview', '2019-09-01', '2020-04-01-preview', '2021-04-01-preview',
  '2021-06-01-preview', '2021-10-01', '2021-11-01-preview', '2022-02-01-preview', '2022-07-01', '2022-11-01', '2023-02-01',
  '2023-07-01', '2023-08-01-PREVIEW', '2024-04-01-preview', '2024-11-01', '2024-12-01-preview', '2025-05-01', '2026-02-01',
];
const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus', 'westus2', 'uksouth', 'centralus', 'swedencentral'];

const BOOL_PROPS = ['enabledForDeployment', 'enabledForDiskEncryption', 'enabledForTemplateDeployment', 'enableSoftDelete', 'enableRbacAuthorization', 'enablePurgeProtection'] as const;

function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpError {
  return azError(status, code, message, undefined, headers);
}

export class Arm {
  constructor(private readonly d: ArmDeps) {}

  private get state() {
    return this.d.store.state;
  }

  async authenticate(ctx: Ctx): Promise<ArmCaller> {
    const h = ctx.req.headers.authorization;
    const wwwAuth = (desc: string) => ({
      'www-authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${desc}"`,
    });
    if (!h) {
      ctx.req.resume();
      throw armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", wwwAuth("The authentication failed because of missing 'Authorization' header."));
    }
    const token = bearerToken(h);
    if (!token) {
      ctx.req.resume();
      throw armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.", wwwAuth("The 'Authorization' header is provided in an invalid format."));
    }
    try {
      const { payload } = await this.d.tokens.verify(token, [ARM_AUDIENCE, `${ARM_AUDIENCE}/`, 'https://management.core.windows.net', 'https://management.core.windows.net/']);
      return { oid: String(payload.oid ?? ''), upn: String(payload.upn ?? payload.preferred_username ?? payload.oid ?? '') };
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      ctx.req.resume();
      const p = e.problem;
      if (p.kind === 'expired') {
        throw armError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${new Date(p.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`, wwwAuth('The access token has expired.'));
      }
      if (p.kind === 'audience') {
        throw armError(401, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${p.found}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`, wwwAuth('The access token has an invalid audience.'));
      }
      if (p.kind === 'issuer') {
        throw armError(401, 'InvalidAuthenticationTokenTenant', `The access token is from the wrong issuer '${p.found}'. It must match the tenant 'https://sts.windows.net/${TENANT_ID}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${TENANT_ID}' to get the token.`, wwwAuth('The access token is from the wrong issuer.'));
      }
      throw armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', wwwAuth('The access token is invalid.'));
    }
  }

  private authorizationFailed(caller: ArmCaller, action: string, scope: string): HttpError {
    return armError(
      403,
      'AuthorizationFailed',
      `The client '${caller.upn}' with object id '${caller.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }

  private require(caller: ArmCaller, action: string, scope: string): void {
    if (!hasAction(this.state, caller.oid, scope, action)) throw this.authorizationFailed(caller, action, scope);
  }

  private checkApiVersion(ctx: Ctx, supported: string[], typeName: string, namespace: string): void {
    const v = ctx.query.get('api-version');
    if (!v) {
      throw armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    }
    if (!supported.some((s) => s.toLowerCase() === v.toLowerCase())) {
      if (namespace === 'Microsoft.Resources') {
        throw armError(400, 'InvalidApiVersionParameter', `The api-version '${v}' is invalid. The supported versions are '${supported.slice().reverse().join(',')}'.`);
      }
      throw armError(
        400,
        'NoRegisteredProviderFound',
        `No registered resource provider found for location 'westeurope' and API version '${v}' for type '${typeName}'. The supported api-versions are '${supported.join(', ')}'. The supported locations are '${LOCATIONS.join(', ')}'.`,
      );
    }
  }

  // ---- JSON shapes ---------------------------------------------------------------------------------------

  vaultJson(v: Vault): Record<string, unknown> {
    const { ...props } = v.properties;
    return {
      id: vaultId(v),
      name: v.name,
      type: 'Microsoft.KeyVault/vaults',
      location: v.location,
      tags: v.tags,
      systemData: {
        createdBy: v.createdBy,
        createdByType: 'User',
        createdAt: v.createdAt,
        lastModifiedBy: v.lastModifiedBy,
        lastModifiedByType: 'User',
        lastModifiedAt: v.lastModifiedAt,
      },
      properties: { ...props, vaultUri: this.d.vaultUri(v.name) },
    };
  }

  private subscriptionJson(s: { subscriptionId: string; displayName: string; state: string }): Record<string, unknown> {
    return {
      id: `/subscriptions/${s.subscriptionId}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      tags: {},
      subscriptionId: s.subscriptionId,
      tenantId: TENANT_ID,
      displayName: s.displayName,
      state: s.state,
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
    };
  }

  private visibleSubscriptions(caller: ArmCaller) {
    return this.state.subscriptions.filter((s) =>
      this.state.roleAssignments.some(
        (a) => a.principalId === caller.oid && (a.scope.toLowerCase() === `/subscriptions/${s.subscriptionId}` || a.scope.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId}/`)),
      ),
    );
  }

  private subscriptionOr404(caller: ArmCaller, subId: string) {
    const sub = this.state.subscriptions.find((s) => s.subscriptionId.toLowerCase() === subId.toLowerCase());
    if (!sub) throw armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);
    if (!this.visibleSubscriptions(caller).includes(sub)) {
      // ARM answers 403 when the caller has no role at all in the subscription.
      throw this.authorizationFailed(caller, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${subId}`);
    }
    return sub;
  }

  private findVault(subId: string, rg: string, name: string): Vault | undefined {
    return this.state.vaults.find(
      (v) => v.subscriptionId.toLowerCase() === subId.toLowerCase() && v.resourceGroup.toLowerCase() === rg.toLowerCase() && v.name.toLowerCase() === name.toLowerCase(),
    );
  }

  private rgOr404(subId: string, rg: string) {
    const g = this.state.resourceGroups.find((r) => r.subscriptionId.toLowerCase() === subId.toLowerCase() && r.name.toLowerCase() === rg.toLowerCase());
    if (!g) throw armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    return g;
  }

  /** Paging with $top / $skiptoken on the same path (keyvault-wire.md §8.2). */
  private page<T>(ctx: Ctx, items: T[], basePath: string, apiVersion: string): { value: T[]; nextLink?: string } {
    const topRaw = ctx.query.get('$top');
    const skip = Number(ctx.query.get('$skiptoken') ?? '0') || 0;
    const top = topRaw ? Math.max(1, Math.min(1000, Number(topRaw) || 1000)) : 1000;
    const slice = items.slice(skip, skip + top);
    const out: { value: T[]; nextLink?: string } = { value: slice };
    if (skip + top < items.length) {
      const q = new URLSearchParams({ 'api-version': apiVersion, $skiptoken: String(skip + top) });
      if (topRaw) q.set('$top', String(top));
      out.nextLink = `${ctx.origin}${basePath}?${q.toString()}`;
    }
    return out;
  }

  // ---- routing -------------------------------------------------------------------------------------------

  async handle(ctx: Ctx): Promise<boolean> {
    const p = ctx.pathname;
    if (!/^\/subscriptions(\/|$)/i.test(p) && !/^\/providers\//i.test(p)) return false;
    const caller = await this.authenticate(ctx);
    const segs = p.split('/').slice(1).map((s) => decodeURIComponent(s));
    const m = ctx.method;
    const lower = segs.map((s) => s.toLowerCase());

    // GET /subscriptions
    if (segs.length === 1 && m === 'GET') {
      this.checkApiVersion(ctx, SUBSCRIPTION_API_VERSIONS, 'subscriptions', 'Microsoft.Resources');
      const subs = this.visibleSubscriptions(caller).map((s) => this.subscriptionJson(s));
      sendJson(ctx, 200, { ...this.page(ctx, subs, '/subscriptions', ctx.query.get('api-version')!), count: { type: 'Total', value: subs.length } });
      return true;
    }
    const subId = segs[1] ?? '';
    // GET /subscriptions/{sub}
    if (segs.length === 2 && m === 'GET') {
      this.checkApiVersion(ctx, SUBSCRIPTION_API_VERSIONS, 'subscriptions', 'Microsoft.Resources');
      const sub = this.subscriptionOr404(caller, subId);
      sendJson(ctx, 200, this.subscriptionJson(sub));
      return true;
    }
    // /subscriptions/{sub}/providers/Microsoft.KeyVault/vaults
    if (segs.length === 5 && lower[2] === 'providers' && lower[3] === 'microsoft.keyvault' && lower[4] === 'vaults' && m === 'GET') {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'vaults', 'Microsoft.KeyVault');
      const sub = this.subscriptionOr404(caller, subId);
      const scope = `/subscriptions/${sub.subscriptionId}`;
      const vaults = this.state.vaults
        .filter((v) => v.subscriptionId === sub.subscriptionId)
        .filter((v) => hasAction(this.state, caller.oid, vaultId(v), 'Microsoft.KeyVault/vaults/read'));
      if (vaults.length === 0 && !hasAction(this.state, caller.oid, scope, 'Microsoft.KeyVault/vaults/read')) {
        throw this.authorizationFailed(caller, 'Microsoft.KeyVault/vaults/read', scope);
      }
      sendJson(ctx, 200, this.page(ctx, vaults.map((v) => this.vaultJson(v)), p, ctx.query.get('api-version')!));
      return true;
    }
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}
    if (segs.length === 8 && lower[2] === 'resourcegroups' && lower[4] === 'providers' && lower[5] === 'microsoft.keyvault' && lower[6] === 'vaults') {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'vaults', 'Microsoft.KeyVault');
      const sub = this.subscriptionOr404(caller, subId);
      const rg = segs[3]!;
      const name = segs[7]!;
      const scope = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
      if (m === 'GET') {
        this.require(caller, 'Microsoft.KeyVault/vaults/read', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) throw this.vaultNotFound(rg, name);
        sendJson(ctx, 200, this.vaultJson(v));
        return true;
      }
      if (m === 'PATCH') {
        this.require(caller, 'Microsoft.KeyVault/vaults/write', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) throw this.vaultNotFound(rg, name);
        const body = await this.jsonBody(ctx);
        this.applyPatch(caller, v, body);
        v.lastModifiedAt = new Date().toISOString();
        v.lastModifiedBy = caller.upn;
        this.d.store.save();
        sendJson(ctx, 200, this.vaultJson(v));
        return true;
      }
    }
    throw notImplemented(m, p);
  }

  private vaultNotFound(rg: string, name: string): HttpError {
    return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.KeyVault/vaults/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  }

  private async jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
    let parsed: unknown;
    try {
      parsed = parseJsonBody(await readBody(ctx.req));
    } catch (e) {
      throw armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`);
    }
    if (parsed === undefined) throw armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: the body is empty.');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: expected a JSON object.');
    }
    return parsed as Record<string, unknown>;
  }

  /** PATCH merge semantics (keyvault-wire.md §8.4). */
  applyPatch(caller: ArmCaller, v: Vault, body: Record<string, unknown>): void {
    if (body.tags !== undefined) {
      if (typeof body.tags !== 'object' || body.tags === null) throw armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'tags' must be an object.");
      v.tags = body.tags as Record<string, string>;
    }
    const props = body.properties as Record<string, unknown> | undefined;
    if (props === undefined || props === null) return;
    if (typeof props !== 'object') throw armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'properties' must be an object.");
    const target = v.properties as VaultProperties;
    for (const k of BOOL_PROPS) {
      if (props[k] === undefined || props[k] === null) continue;
      if (typeof props[k] !== 'boolean') {
        throw armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: Error converting value "${String(props[k])}" to type 'System.Boolean'. Path 'properties.${k}'.`);
      }
    }
    if (props.enableSoftDelete === false && target.enableSoftDelete) {
      throw armError(400, 'BadRequest', 'The property "enableSoftDelete" cannot be set to false. Enabling the \'soft delete\' functionality is an irreversible action.');
    }
    if (props.enablePurgeProtection === false && target.enablePurgeProtection) {
      throw armError(400, 'BadRequest', 'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.');
    }
    if (typeof props.enableRbacAuthorization === 'boolean' && props.enableRbacAuthorization !== target.enableRbacAuthorization) {
      // Switching the permission model needs roleAssignments/write (Owner / User Access Administrator).
      this.require(caller, 'Microsoft.Authorization/roleAssignments/write', vaultId(v));
    }
    for (const k of BOOL_PROPS) {
      if (typeof props[k] === 'boolean') (target as Record<string, unknown>)[k] = props[k];
    }
    if (props.softDeleteRetentionInDays !== undefined) {
      const n = props.softDeleteRetentionInDays;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 7 || n > 90) {
        throw armError(400, 'BadRequest', 'The property "softDeleteRetentionInDays" must be an integer between 7 and 90.');
      }
      target.softDeleteRetentionInDays = n;
    }
    if (props.sku !== undefined) target.sku = props.sku as VaultProperties['sku'];
    if (props.accessPolicies !== undefined) {
      if (!Array.isArray(props.accessPolicies)) throw armError(400, 'InvalidRequestContent', "'properties.accessPolicies' must be an array.");
      target.accessPolicies = (props.accessPolicies as VaultProperties['accessPolicies']).map((a) => ({ ...a, permissions: a.permissions ?? {} }));
    }
    if (props.networkAcls !== undefined) target.networkAcls = props.networkAcls;
    if (props.publicNetworkAccess !== undefined) target.publicNetworkAccess = props.publicNetworkAccess as VaultProperties['publicNetworkAccess'];
    if (typeof props.tenantId === 'string') target.tenantId = props.tenantId;
  }
}
