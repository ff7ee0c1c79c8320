import type { Ctx } from './http.js';
import { parseJsonBody, readBody, sendEmpty, sendJson } from './http.js';
import { armError, authorizationFailed, notImplemented, vaultNotFound } from './errors.js';
import { ARM_AUDIENCE, TENANT_ID } from './ids.js';
import { ROLE_DEFINITIONS, hasAction } from './rbac.js';
import type { AccessPolicy, Store, Vault, VaultProperties } from './state.js';
import { vaultId } from './state.js';
import { TokenError, bearerToken, type TokenService } from './tokens.js';

export interface ArmDeps {
  store: Store;
  tokens: TokenService;
  vaultUri: (name: string) => string;
  onVaultsChanged?: () => void;
}

export interface ArmCaller {
  oid: string;
  upn: string;
}

const SUBSCRIPTION_API_VERSIONS = [
  '2016-06-01',
  '2019-06-01',
  '2019-11-01',
  '2020-01-01',
  '2021-01-01',
  '2022-01-01',
  '2022-09-01',
  '2022-12-01',
];
const RESOURCE_API_VERSIONS = [
  '2019-10-01',
  '2020-06-01',
  '2021-04-01',
  '2022-09-01',
  '2023-07-01',
  '2024-03-01',
  '2024-07-01',
  '2024-11-01',
  '2025-01-01',
  '2025-03-01',
  '2025-04-01',
];
export const KEYVAULT_API_VERSIONS = [
  '2015-06-01',
  '2016-10-01',
  '2018-02-14',
  '2018-02-14-preview',
  '2019-09-01',
  '2020-04-01-preview',
  '2021-04-01-preview',
  '2021-06-01-preview',
  '2021-10-01',
  '2021-11-01-preview',
  '2022-02-01-preview',
  '2022-07-01',
  '2022-11-01',
  '2023-02-01',
  '2023-07-01',
  '2023-08-01-PREVIEW',
  '2024-04-01-preview',
  '2024-11-01',
  '2024-12-01-preview',
  '2025-05-01',
  '2026-02-01',
];
const AUTHORIZATION_API_VERSIONS = [
  '2015-07-01',
  '2018-01-01-preview',
  '2018-09-01-preview',
  '2020-04-01-preview',
  '2020-10-01-preview',
  '2022-04-01',
  '2022-05-01-preview',
];
const VAULT_NAME_RE = /^(?=.{3,24}$)[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*[a-zA-Z0-9]$/;
const VAULT_NAME_MESSAGE = (name: string) =>
  `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`;
const LOCATIONS = [
  'westeurope',
  'northeurope',
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'uksouth',
  'centralus',
  'swedencentral',
];

const BOOL_PROPS = [
  'enabledForDeployment',
  'enabledForDiskEncryption',
  'enabledForTemplateDeployment',
  'enableSoftDelete',
  'enableRbacAuthorization',
  'enablePurgeProtection',
] as const;

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
      throw armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
        wwwAuth("The authentication failed because of missing 'Authorization' header."),
      );
    }
    const token = bearerToken(h);
    if (!token) {
      ctx.req.resume();
      throw armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        wwwAuth("The 'Authorization' header is provided in an invalid format."),
      );
    }
    try {
      const { payload } = await this.d.tokens.verify(token, [
        ARM_AUDIENCE,
        `${ARM_AUDIENCE}/`,
        'https://management.core.windows.net',
        'https://management.core.windows.net/',
      ]);
      return {
        oid: String(payload.oid ?? ''),
        upn: String(payload.upn ?? payload.preferred_username ?? payload.oid ?? ''),
      };
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      ctx.req.resume();
      const p = e.problem;
      if (p.kind === 'expired') {
        throw armError(
          401,
          'ExpiredAuthenticationToken',
          `The access token expiry UTC time '${new Date(p.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
          wwwAuth('The access token has expired.'),
        );
      }
      if (p.kind === 'audience') {
        throw armError(
          401,
          'InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${p.found}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
          wwwAuth('The access token has an invalid audience.'),
        );
      }
      if (p.kind === 'issuer') {
        throw armError(
          401,
          'InvalidAuthenticationTokenTenant',
          `The access token is from the wrong issuer '${p.found}'. It must match the tenant 'https://sts.windows.net/${TENANT_ID}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${TENANT_ID}' to get the token.`,
          wwwAuth('The access token is from the wrong issuer.'),
        );
      }
      throw armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        wwwAuth('The access token is invalid.'),
      );
    }
  }

  private require(caller: ArmCaller, action: string, scope: string): void {
    if (!hasAction(this.state, caller.oid, scope, action)) throw authorizationFailed(caller, action, scope);
  }

  private checkApiVersion(ctx: Ctx, supported: string[], typeName: string, namespace: string): void {
    const v = ctx.query.get('api-version');
    if (!v) {
      throw armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    }
    if (!supported.some((s) => s.toLowerCase() === v.toLowerCase())) {
      if (namespace === 'Microsoft.Resources') {
        throw armError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${v}' is invalid. The supported versions are '${supported.slice().reverse().join(',')}'.`,
        );
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
        (a) =>
          a.principalId === caller.oid &&
          (a.scope.toLowerCase() === `/subscriptions/${s.subscriptionId}` ||
            a.scope.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId}/`)),
      ),
    );
  }

  /**
   * The subscription, or ARM's answer when it does not exist (404) or the caller has no role anywhere in it (403 for
   * the operation's own action and scope, which is what ARM reports).
   */
  private subscriptionOr404(
    caller: ArmCaller,
    subId: string,
    action = 'Microsoft.Resources/subscriptions/read',
    scope = `/subscriptions/${subId}`,
  ) {
    const sub = this.state.subscriptions.find((s) => s.subscriptionId.toLowerCase() === subId.toLowerCase());
    if (!sub) throw armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);
    if (!this.visibleSubscriptions(caller).includes(sub)) throw authorizationFailed(caller, action, scope);
    return sub;
  }

  private findVault(subId: string, rg: string, name: string): Vault | undefined {
    return this.state.vaults.find(
      (v) =>
        v.subscriptionId.toLowerCase() === subId.toLowerCase() &&
        v.resourceGroup.toLowerCase() === rg.toLowerCase() &&
        v.name.toLowerCase() === name.toLowerCase(),
    );
  }

  private rgOr404(subId: string, rg: string) {
    const g = this.state.resourceGroups.find(
      (r) => r.subscriptionId.toLowerCase() === subId.toLowerCase() && r.name.toLowerCase() === rg.toLowerCase(),
    );
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
    const segs = p
      .split('/')
      .slice(1)
      .map((s) => decodeURIComponent(s));
    const m = ctx.method;
    const lower = segs.map((s) => s.toLowerCase());

    // GET /subscriptions
    if (segs.length === 1 && m === 'GET') {
      this.checkApiVersion(ctx, SUBSCRIPTION_API_VERSIONS, 'subscriptions', 'Microsoft.Resources');
      const subs = this.visibleSubscriptions(caller).map((s) => this.subscriptionJson(s));
      sendJson(ctx, 200, {
        ...this.page(ctx, subs, '/subscriptions', ctx.query.get('api-version')!),
        count: { type: 'Total', value: subs.length },
      });
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
    if (
      segs.length === 5 &&
      lower[2] === 'providers' &&
      lower[3] === 'microsoft.keyvault' &&
      lower[4] === 'vaults' &&
      m === 'GET'
    ) {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'vaults', 'Microsoft.KeyVault');
      const sub = this.subscriptionOr404(caller, subId, 'Microsoft.KeyVault/vaults/read');
      const scope = `/subscriptions/${sub.subscriptionId}`;
      const vaults = this.state.vaults
        .filter((v) => v.subscriptionId === sub.subscriptionId)
        .filter((v) => hasAction(this.state, caller.oid, vaultId(v), 'Microsoft.KeyVault/vaults/read'));
      if (vaults.length === 0 && !hasAction(this.state, caller.oid, scope, 'Microsoft.KeyVault/vaults/read')) {
        throw authorizationFailed(caller, 'Microsoft.KeyVault/vaults/read', scope);
      }
      sendJson(
        ctx,
        200,
        this.page(
          ctx,
          vaults.map((v) => this.vaultJson(v)),
          p,
          ctx.query.get('api-version')!,
        ),
      );
      return true;
    }
    // Microsoft.Authorization at any scope: .../providers/Microsoft.Authorization/{roleAssignments|roleDefinitions/{id}|permissions}
    const authIdx = lower.lastIndexOf('microsoft.authorization');
    if (authIdx > 0 && lower[authIdx - 1] === 'providers' && m === 'GET') {
      this.checkApiVersion(ctx, AUTHORIZATION_API_VERSIONS, 'roleAssignments', 'Microsoft.Authorization');
      const scope = '/' + segs.slice(0, authIdx - 1).join('/');
      this.subscriptionOr404(caller, subId, 'Microsoft.Authorization/roleAssignments/read', scope);
      return this.authorizationRoute(ctx, caller, scope, lower.slice(authIdx + 1), segs.slice(authIdx + 1));
    }
    // GET /subscriptions/{sub}/resources (vaults.list() → generic resources, no properties)
    if (segs.length === 3 && lower[2] === 'resources' && m === 'GET') {
      this.checkApiVersion(ctx, ['2015-11-01', ...RESOURCE_API_VERSIONS], 'resources', 'Microsoft.Resources');
      const sub = this.subscriptionOr404(caller, subId, 'Microsoft.Resources/subscriptions/resources/read');
      const filter = ctx.query.get('$filter') ?? '';
      const fm = /resourceType eq '([^']+)'/i.exec(filter);
      if (filter && (!fm || fm[1]!.toLowerCase() !== 'microsoft.keyvault/vaults'))
        throw notImplemented(m, `${p}?$filter=${filter}`);
      const items = this.state.vaults
        .filter(
          (v) =>
            v.subscriptionId === sub.subscriptionId &&
            hasAction(this.state, caller.oid, vaultId(v), 'Microsoft.KeyVault/vaults/read'),
        )
        .map((v) => ({
          id: vaultId(v),
          name: v.name,
          type: 'Microsoft.KeyVault/vaults',
          location: v.location,
          tags: v.tags,
        }));
      sendJson(ctx, 200, this.page(ctx, items, p, ctx.query.get('api-version')!));
      return true;
    }
    // POST /subscriptions/{sub}/providers/Microsoft.KeyVault/checkNameAvailability
    if (
      segs.length === 5 &&
      lower[2] === 'providers' &&
      lower[3] === 'microsoft.keyvault' &&
      lower[4] === 'checknameavailability' &&
      m === 'POST'
    ) {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'checkNameAvailability', 'Microsoft.KeyVault');
      this.subscriptionOr404(caller, subId, 'Microsoft.KeyVault/checkNameAvailability/read');
      const body = await this.jsonBody(ctx);
      if (body.type !== 'Microsoft.KeyVault/vaults')
        throw armError(400, 'InvalidRequestContent', "The parameter 'type' must be 'Microsoft.KeyVault/vaults'.");
      const name = String(body.name ?? '');
      if (!VAULT_NAME_RE.test(name)) {
        sendJson(ctx, 200, { nameAvailable: false, reason: 'AccountNameInvalid', message: VAULT_NAME_MESSAGE(name) });
      } else if (
        this.state.vaults.some((v) => v.name.toLowerCase() === name.toLowerCase()) ||
        (this.state.deletedVaults ?? []).some((d) => d.vault.name.toLowerCase() === name.toLowerCase())
      ) {
        sendJson(ctx, 200, {
          nameAvailable: false,
          reason: 'AlreadyExists',
          message: `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`,
        });
      } else {
        sendJson(ctx, 200, { nameAvailable: true });
      }
      return true;
    }
    // soft-deleted vaults: list, get, purge
    if (
      lower[2] === 'providers' &&
      lower[3] === 'microsoft.keyvault' &&
      (lower[4] === 'deletedvaults' || lower[4] === 'locations')
    ) {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'deletedVaults', 'Microsoft.KeyVault');
      const sub = this.subscriptionOr404(caller, subId, 'Microsoft.KeyVault/deletedVaults/read');
      const subScope = `/subscriptions/${sub.subscriptionId}`;
      const deleted = (this.state.deletedVaults ?? []).filter((d) => d.vault.subscriptionId === sub.subscriptionId);
      if (segs.length === 5 && lower[4] === 'deletedvaults' && m === 'GET') {
        this.require(caller, 'Microsoft.KeyVault/deletedVaults/read', subScope);
        sendJson(
          ctx,
          200,
          this.page(
            ctx,
            deleted.map((d) => this.deletedVaultJson(d)),
            p,
            ctx.query.get('api-version')!,
          ),
        );
        return true;
      }
      if ((segs.length === 8 || segs.length === 9) && lower[4] === 'locations' && lower[6] === 'deletedvaults') {
        const loc = lower[5]!;
        const d = deleted.find((x) => x.vault.location === loc && x.vault.name.toLowerCase() === lower[7]);
        if (segs.length === 8 && m === 'GET') {
          this.require(caller, 'Microsoft.KeyVault/deletedVaults/read', subScope);
          if (!d)
            throw armError(
              404,
              'ResourceNotFound',
              `The Resource 'Microsoft.KeyVault/deletedVaults/${segs[7]}' under location '${loc}' was not found.`,
            );
          sendJson(ctx, 200, this.deletedVaultJson(d));
          return true;
        }
        if (segs.length === 9 && lower[8] === 'purge' && m === 'POST') {
          this.require(caller, 'Microsoft.KeyVault/locations/deletedVaults/purge/action', subScope);
          if (!d)
            throw armError(
              404,
              'ResourceNotFound',
              `The Resource 'Microsoft.KeyVault/deletedVaults/${segs[7]}' under location '${loc}' was not found.`,
            );
          if (d.vault.properties.enablePurgeProtection) {
            throw armError(
              400,
              'BadRequest',
              `Vault '${d.vault.name}' has purge protection enabled and cannot be purged before its scheduled purge date (${d.scheduledPurgeDate}).`,
            );
          }
          this.state.deletedVaults = (this.state.deletedVaults ?? []).filter((x) => x !== d);
          delete this.state.certificates[d.vault.name.toLowerCase()];
          this.d.store.save();
          sendJson(ctx, 200, undefined);
          return true;
        }
      }
    }
    // resource groups
    if (lower[2] === 'resourcegroups' && (segs.length === 3 || segs.length === 4)) {
      this.checkApiVersion(ctx, RESOURCE_API_VERSIONS, 'resourceGroups', 'Microsoft.Resources');
      const rgAction =
        segs.length === 4 && m === 'PUT'
          ? 'Microsoft.Resources/subscriptions/resourceGroups/write'
          : 'Microsoft.Resources/subscriptions/resourceGroups/read';
      const sub = this.subscriptionOr404(
        caller,
        subId,
        rgAction,
        segs.length === 4 ? `/subscriptions/${subId}/resourceGroups/${segs[3]}` : `/subscriptions/${subId}`,
      );
      const subScope = `/subscriptions/${sub.subscriptionId}`;
      if (segs.length === 3 && m === 'GET') {
        const groups = this.state.resourceGroups
          .filter((g) => g.subscriptionId === sub.subscriptionId)
          .filter((g) =>
            hasAction(
              this.state,
              caller.oid,
              `${subScope}/resourceGroups/${g.name}`,
              'Microsoft.Resources/subscriptions/resourceGroups/read',
            ),
          );
        if (
          groups.length === 0 &&
          !hasAction(this.state, caller.oid, subScope, 'Microsoft.Resources/subscriptions/resourceGroups/read')
        ) {
          throw authorizationFailed(caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', subScope);
        }
        sendJson(
          ctx,
          200,
          this.page(
            ctx,
            groups.map((g) => this.rgJson(g)),
            p,
            ctx.query.get('api-version')!,
          ),
        );
        return true;
      }
      if (segs.length === 4) {
        const rgName = segs[3]!;
        const scope = `${subScope}/resourceGroups/${rgName}`;
        if (m === 'GET' || m === 'HEAD') {
          this.require(caller, 'Microsoft.Resources/subscriptions/resourceGroups/read', scope);
          const g = this.rgOr404(sub.subscriptionId, rgName);
          if (m === 'HEAD') sendEmpty(ctx, 204);
          else sendJson(ctx, 200, this.rgJson(g));
          return true;
        }
        if (m === 'PUT') {
          this.require(caller, 'Microsoft.Resources/subscriptions/resourceGroups/write', scope);
          if (!/^[-\w._()]{1,90}$/.test(rgName) || rgName.endsWith('.')) {
            throw armError(
              400,
              'InvalidResourceGroup',
              `The provided resource group name '${rgName}' has these invalid characters: '${rgName.replace(/[-\w._()]/g, '')}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'.`,
            );
          }
          const body = await this.jsonBody(ctx);
          const location = typeof body.location === 'string' ? body.location.toLowerCase().replace(/\s+/g, '') : '';
          if (!location)
            throw armError(400, 'LocationRequired', 'The location property is required for this definition.');
          if (!LOCATIONS.includes(location))
            throw armError(
              400,
              'LocationNotAvailableForResourceGroup',
              `The provided location '${body.location}' is not available for resource group. List of available regions is '${LOCATIONS.join(',')}'.`,
            );
          const existing = this.state.resourceGroups.find(
            (g) => g.subscriptionId === sub.subscriptionId && g.name.toLowerCase() === rgName.toLowerCase(),
          );
          if (existing) {
            if (existing.location !== location)
              throw armError(
                409,
                'InvalidResourceGroupLocation',
                `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
              );
            if (body.tags && typeof body.tags === 'object') existing.tags = body.tags as Record<string, string>;
            this.d.store.save();
            sendJson(ctx, 200, this.rgJson(existing));
          } else {
            const g = {
              subscriptionId: sub.subscriptionId,
              name: rgName,
              location,
              tags: (body.tags as Record<string, string>) ?? {},
            };
            this.state.resourceGroups.push(g);
            this.d.store.save();
            sendJson(ctx, 201, this.rgJson(g));
          }
          return true;
        }
      }
    }
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults
    if (
      segs.length === 7 &&
      lower[2] === 'resourcegroups' &&
      lower[4] === 'providers' &&
      lower[5] === 'microsoft.keyvault' &&
      lower[6] === 'vaults' &&
      m === 'GET'
    ) {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'vaults', 'Microsoft.KeyVault');
      const sub = this.subscriptionOr404(
        caller,
        subId,
        'Microsoft.KeyVault/vaults/read',
        `/subscriptions/${subId}/resourceGroups/${segs[3]}`,
      );
      const rg = this.rgOr404(sub.subscriptionId, segs[3]!);
      const scope = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg.name}`;
      const vaults = this.state.vaults
        .filter(
          (v) => v.subscriptionId === sub.subscriptionId && v.resourceGroup.toLowerCase() === rg.name.toLowerCase(),
        )
        .filter((v) => hasAction(this.state, caller.oid, vaultId(v), 'Microsoft.KeyVault/vaults/read'));
      if (vaults.length === 0 && !hasAction(this.state, caller.oid, scope, 'Microsoft.KeyVault/vaults/read')) {
        throw authorizationFailed(caller, 'Microsoft.KeyVault/vaults/read', scope);
      }
      sendJson(
        ctx,
        200,
        this.page(
          ctx,
          vaults.map((v) => this.vaultJson(v)),
          p,
          ctx.query.get('api-version')!,
        ),
      );
      return true;
    }
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}[/accessPolicies/{kind}]
    if (
      (segs.length === 8 || segs.length === 10) &&
      lower[2] === 'resourcegroups' &&
      lower[4] === 'providers' &&
      lower[5] === 'microsoft.keyvault' &&
      lower[6] === 'vaults'
    ) {
      this.checkApiVersion(ctx, KEYVAULT_API_VERSIONS, 'vaults', 'Microsoft.KeyVault');
      const vaultAction =
        segs.length === 10
          ? 'Microsoft.KeyVault/vaults/accessPolicies/write'
          : m === 'GET'
            ? 'Microsoft.KeyVault/vaults/read'
            : m === 'DELETE'
              ? 'Microsoft.KeyVault/vaults/delete'
              : 'Microsoft.KeyVault/vaults/write';
      const sub = this.subscriptionOr404(
        caller,
        subId,
        vaultAction,
        `/subscriptions/${subId}/resourceGroups/${segs[3]}/providers/Microsoft.KeyVault/vaults/${segs[7]}`,
      );
      const rg = segs[3]!;
      const name = segs[7]!;
      const scope = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
      if (segs.length === 10) {
        if (lower[8] !== 'accesspolicies' || m !== 'PUT') throw notImplemented(m, p);
        const kind = lower[9]!;
        if (kind !== 'add' && kind !== 'replace' && kind !== 'remove') {
          throw armError(
            400,
            'InvalidRequestParameter',
            `The value '${segs[9]}' is not valid for operationKind. Valid values are 'add', 'replace', 'remove'.`,
          );
        }
        this.require(caller, 'Microsoft.KeyVault/vaults/accessPolicies/write', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) throw vaultNotFound(rg, name);
        const body = await this.jsonBody(ctx);
        const entries = ((body.properties ?? {}) as Record<string, unknown>).accessPolicies;
        if (!Array.isArray(entries))
          throw armError(
            400,
            'InvalidRequestContent',
            "The request content was invalid and could not be deserialized: 'properties.accessPolicies' is required.",
          );
        this.updateAccessPolicies(v, kind, entries as AccessPolicy[]);
        v.lastModifiedAt = new Date().toISOString();
        v.lastModifiedBy = caller.upn;
        this.d.store.save();
        sendJson(ctx, 200, {
          id: `${vaultId(v)}/accessPolicies/`,
          type: 'Microsoft.KeyVault/vaults/accessPolicies',
          properties: { accessPolicies: entries },
        });
        return true;
      }
      if (m === 'GET') {
        this.require(caller, 'Microsoft.KeyVault/vaults/read', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) throw vaultNotFound(rg, name);
        sendJson(ctx, 200, this.vaultJson(v));
        return true;
      }
      if (m === 'PATCH') {
        this.require(caller, 'Microsoft.KeyVault/vaults/write', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) throw vaultNotFound(rg, name);
        const body = await this.jsonBody(ctx);
        this.applyPatch(caller, v, body);
        v.lastModifiedAt = new Date().toISOString();
        v.lastModifiedBy = caller.upn;
        this.d.store.save();
        sendJson(ctx, 200, this.vaultJson(v));
        return true;
      }
      if (m === 'PUT') {
        this.require(caller, 'Microsoft.KeyVault/vaults/write', scope);
        const group = this.rgOr404(sub.subscriptionId, rg);
        const body = await this.jsonBody(ctx);
        return this.putVault(ctx, caller, sub.subscriptionId, group.name, name, body);
      }
      if (m === 'DELETE') {
        this.require(caller, 'Microsoft.KeyVault/vaults/delete', scope);
        this.rgOr404(sub.subscriptionId, rg);
        const v = this.findVault(sub.subscriptionId, rg, name);
        if (!v) {
          sendJson(ctx, 204, undefined);
          return true;
        }
        this.state.vaults = this.state.vaults.filter((x) => x !== v);
        // Soft delete is always on: the vault (and its objects) stay recoverable until purged.
        const now = new Date();
        (this.state.deletedVaults ??= []).push({
          vault: v,
          deletionDate: now.toISOString(),
          scheduledPurgeDate: new Date(
            now.getTime() + (v.properties.softDeleteRetentionInDays ?? 90) * 86400e3,
          ).toISOString(),
        });
        this.d.store.save();
        this.d.onVaultsChanged?.();
        sendJson(ctx, 200, undefined);
        return true;
      }
    }
    throw notImplemented(m, p);
  }

  private deletedVaultJson(d: {
    vault: Vault;
    deletionDate: string;
    scheduledPurgeDate: string;
  }): Record<string, unknown> {
    return {
      id: `/subscriptions/${d.vault.subscriptionId}/providers/Microsoft.KeyVault/locations/${d.vault.location}/deletedVaults/${d.vault.name}`,
      name: d.vault.name,
      type: 'Microsoft.KeyVault/deletedVaults',
      properties: {
        vaultId: vaultId(d.vault),
        location: d.vault.location,
        deletionDate: d.deletionDate,
        scheduledPurgeDate: d.scheduledPurgeDate,
        tags: d.vault.tags,
        purgeProtectionEnabled: d.vault.properties.enablePurgeProtection === true,
      },
    };
  }

  private rgJson(g: {
    subscriptionId: string;
    name: string;
    location: string;
    tags: Record<string, string>;
  }): Record<string, unknown> {
    return {
      id: `/subscriptions/${g.subscriptionId}/resourceGroups/${g.name}`,
      name: g.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: g.location,
      tags: g.tags,
      properties: { provisioningState: 'Succeeded' },
    };
  }

  private updateAccessPolicies(v: Vault, kind: string, entries: AccessPolicy[]): void {
    if (v.properties.enableRbacAuthorization) {
      // UNVERIFIED exact text; Microsoft documents that access-policy updates fail on RBAC vaults.
      throw armError(
        400,
        'BadRequest',
        `Access policies cannot be updated on vault '${v.name}' because it uses the Azure role-based access control permission model (enableRbacAuthorization is true). Assign Key Vault RBAC roles instead.`,
      );
    }
    const kinds = ['keys', 'secrets', 'certificates', 'storage'] as const;
    for (const e of entries) {
      if (
        !e ||
        typeof e.objectId !== 'string' ||
        typeof e.tenantId !== 'string' ||
        !e.permissions ||
        typeof e.permissions !== 'object'
      ) {
        throw armError(400, 'BadRequest', 'An access policy entry requires tenantId, objectId and permissions.');
      }
      const same = (a: AccessPolicy) =>
        a.objectId === e.objectId &&
        a.tenantId === e.tenantId &&
        (a.applicationId ?? null) === (e.applicationId ?? null);
      const cur = v.properties.accessPolicies.find(same);
      if (kind === 'add') {
        if (!cur) v.properties.accessPolicies.push({ ...e, permissions: { ...e.permissions } });
        else
          for (const k of kinds) {
            const add = e.permissions[k];
            if (add)
              cur.permissions[k] = Array.from(
                new Set([...(cur.permissions[k] ?? []), ...add.map((x) => x.toLowerCase())]),
              );
          }
      } else if (kind === 'replace') {
        if (!cur) v.properties.accessPolicies.push({ ...e, permissions: { ...e.permissions } });
        else cur.permissions = { ...e.permissions };
      } else if (cur) {
        for (const k of kinds) {
          const rm = (e.permissions[k] ?? []).map((x) => x.toLowerCase());
          if (rm.length && cur.permissions[k])
            cur.permissions[k] = cur.permissions[k]!.filter(
              (x) => !rm.includes(x.toLowerCase()) && !rm.includes('all'),
            );
        }
        if (kinds.every((k) => !cur.permissions[k]?.length))
          v.properties.accessPolicies = v.properties.accessPolicies.filter((a) => a !== cur);
      }
    }
  }

  private async putVault(
    ctx: Ctx,
    caller: ArmCaller,
    subscriptionId: string,
    rg: string,
    name: string,
    body: Record<string, unknown>,
  ): Promise<boolean> {
    if (!VAULT_NAME_RE.test(name)) throw armError(400, 'VaultNameNotValid', VAULT_NAME_MESSAGE(name));
    const existing = this.findVault(subscriptionId, rg, name);
    const taken = this.state.vaults.find((v) => v.name.toLowerCase() === name.toLowerCase() && v !== existing);
    if (taken) {
      throw armError(
        409,
        'VaultAlreadyExists',
        `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information on soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`,
      );
    }
    const props0 = (body.properties ?? {}) as Record<string, unknown>;
    const deletedIdx = (this.state.deletedVaults ?? []).findIndex(
      (d) => d.vault.name.toLowerCase() === name.toLowerCase(),
    );
    if (!existing && deletedIdx >= 0) {
      const d = this.state.deletedVaults![deletedIdx]!;
      if (props0.createMode !== 'recover') {
        throw armError(
          409,
          'ConflictError',
          `A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.`,
        );
      }
      if (d.vault.subscriptionId !== subscriptionId || d.vault.resourceGroup.toLowerCase() !== rg.toLowerCase()) {
        throw armError(
          400,
          'BadRequest',
          `The deleted vault '${name}' belongs to ${vaultId(d.vault)}; recover it in its original resource group.`,
        );
      }
      this.state.deletedVaults!.splice(deletedIdx, 1);
      d.vault.lastModifiedAt = new Date().toISOString();
      d.vault.lastModifiedBy = caller.upn;
      this.state.vaults.push(d.vault);
      this.d.store.save();
      this.d.onVaultsChanged?.();
      sendJson(ctx, 200, this.vaultJson(d.vault));
      return true;
    }
    if (props0.createMode === 'recover') {
      throw armError(404, 'ResourceNotFound', `The deleted vault '${name}' was not found and cannot be recovered.`);
    }
    const location = typeof body.location === 'string' ? body.location.toLowerCase().replace(/\s+/g, '') : '';
    if (!location) throw armError(400, 'LocationRequired', 'The location property is required for this definition.');
    if (!LOCATIONS.includes(location))
      throw armError(
        400,
        'LocationNotAvailableForResourceType',
        `The provided location '${body.location}' is not available for resource type 'Microsoft.KeyVault/vaults'. List of available regions for the resource type is '${LOCATIONS.join(',')}'.`,
      );
    const props = (body.properties ?? {}) as Record<string, unknown>;
    if (typeof props !== 'object' || props === null)
      throw armError(
        400,
        'InvalidRequestContent',
        "The request content was invalid and could not be deserialized: 'properties' is required.",
      );
    if (typeof props.tenantId !== 'string')
      throw armError(400, 'BadRequest', "The parameter 'properties.tenantId' is required.");
    const sku = props.sku as { family?: string; name?: string } | undefined;
    if (!sku || typeof sku !== 'object' || (sku.name !== 'standard' && sku.name !== 'premium'))
      throw armError(
        400,
        'BadRequest',
        "The parameter 'properties.sku' is required and 'sku.name' must be 'standard' or 'premium'.",
      );
    const apiVersion = ctx.query.get('api-version')!;
    const now = new Date().toISOString();
    if (existing) {
      if (existing.location !== location)
        throw armError(
          400,
          'LocationCannotBeChanged',
          `The location of vault '${name}' cannot be changed from '${existing.location}' to '${location}'.`,
        );
      this.applyPatch(caller, existing, { tags: body.tags, properties: props });
      existing.lastModifiedAt = now;
      existing.lastModifiedBy = caller.upn;
      this.d.store.save();
      sendJson(ctx, 200, this.vaultJson(existing));
      return true;
    }
    // 2026-02-01 and later: enableRbacAuthorization defaults to true on create (keyvault-wire.md §8.8).
    const rbacDefault = apiVersion >= '2026-02-01';
    const v: Vault = {
      name,
      subscriptionId,
      resourceGroup: rg,
      location,
      tags: (body.tags as Record<string, string>) ?? {},
      properties: {
        tenantId: props.tenantId,
        sku: { family: 'A', name: sku.name },
        accessPolicies: [],
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enableRbacAuthorization: rbacDefault,
        provisioningState: 'Succeeded',
        publicNetworkAccess: 'Enabled',
      },
      createdAt: now,
      createdBy: caller.upn,
      lastModifiedAt: now,
      lastModifiedBy: caller.upn,
    };
    const { enableSoftDelete, enablePurgeProtection, ...rest } = props;
    if (enableSoftDelete === false)
      throw armError(
        400,
        'BadRequest',
        'The property "enableSoftDelete" cannot be set to false. Soft delete is enabled for all new vaults.',
      );
    this.applyPatch(
      caller,
      v,
      { properties: { ...rest, ...(enablePurgeProtection === true ? { enablePurgeProtection } : {}) } },
      true,
    );
    this.state.vaults.push(v);
    this.d.store.save();
    this.d.onVaultsChanged?.();
    sendJson(ctx, 201, this.vaultJson(v));
    return true;
  }

  private authorizationRoute(ctx: Ctx, caller: ArmCaller, scope: string, lowerRest: string[], rest: string[]): boolean {
    const state = this.state;
    const covers = (outer: string, inner: string) =>
      inner.toLowerCase() === outer.toLowerCase() || inner.toLowerCase().startsWith(`${outer.toLowerCase()}/`);
    this.require(caller, 'Microsoft.Authorization/roleAssignments/read', scope);
    const subId = scope.split('/')[2]!;
    const defId = (id: string) => `/subscriptions/${subId}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
    if (lowerRest[0] === 'roleassignments' && rest.length === 1) {
      const filter = ctx.query.get('$filter') ?? '';
      let list = state.roleAssignments.filter((a) => covers(a.scope, scope) || covers(scope, a.scope));
      const pm = /(?:assignedTo\('([^']+)'\)|principalId eq '([^']+)')/i.exec(filter);
      if (pm) list = list.filter((a) => a.principalId === (pm[1] ?? pm[2]));
      if (/atScope\(\)/i.test(filter)) list = list.filter((a) => covers(a.scope, scope));
      sendJson(ctx, 200, {
        value: list.map((a) => ({
          properties: {
            roleDefinitionId: defId(a.roleDefinitionId),
            principalId: a.principalId,
            principalType: 'User',
            scope: a.scope,
            condition: null,
            conditionVersion: null,
            createdOn: '2026-01-15T09:30:00.0000000Z',
            updatedOn: '2026-01-15T09:30:00.0000000Z',
            createdBy: null,
            updatedBy: null,
            delegatedManagedIdentityResourceId: null,
            description: null,
          },
          id: `${a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.id}`,
          type: 'Microsoft.Authorization/roleAssignments',
          name: a.id,
        })),
      });
      return true;
    }
    if (lowerRest[0] === 'roledefinitions') {
      const toJson = (id: string) => {
        const d = ROLE_DEFINITIONS[id]!;
        return {
          properties: {
            roleName: d.name,
            type: 'BuiltInRole',
            description: d.name,
            assignableScopes: ['/'],
            permissions: [
              { actions: d.actions, notActions: d.notActions, dataActions: d.dataActions, notDataActions: [] },
            ],
          },
          id: defId(id),
          type: 'Microsoft.Authorization/roleDefinitions',
          name: id,
        };
      };
      if (rest.length === 2) {
        if (!ROLE_DEFINITIONS[rest[1]!])
          throw armError(
            404,
            'RoleDefinitionDoesNotExist',
            "The specified role definition with ID '" + rest[1] + "' does not exist.",
          );
        sendJson(ctx, 200, toJson(rest[1]!));
        return true;
      }
      sendJson(ctx, 200, { value: Object.keys(ROLE_DEFINITIONS).map(toJson) });
      return true;
    }
    if (lowerRest[0] === 'permissions' && rest.length === 1) {
      const list = state.roleAssignments.filter((a) => a.principalId === caller.oid && covers(a.scope, scope));
      sendJson(ctx, 200, {
        value: list.map((a) => {
          const d = ROLE_DEFINITIONS[a.roleDefinitionId]!;
          return { actions: d.actions, notActions: d.notActions, dataActions: d.dataActions, notDataActions: [] };
        }),
      });
      return true;
    }
    throw notImplemented(ctx.method, ctx.pathname);
  }

  private async jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
    let parsed: unknown;
    try {
      parsed = parseJsonBody(await readBody(ctx.req));
    } catch (e) {
      throw armError(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: '${(e as Error).message}'.`,
      );
    }
    if (parsed === undefined)
      throw armError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized: the body is empty.',
      );
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw armError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized: expected a JSON object.',
      );
    }
    return parsed as Record<string, unknown>;
  }

  /** PATCH merge semantics (keyvault-wire.md §8.4). */
  applyPatch(caller: ArmCaller, v: Vault, body: Record<string, unknown>, creating = false): void {
    if (body.tags !== undefined) {
      if (typeof body.tags !== 'object' || body.tags === null)
        throw armError(
          400,
          'InvalidRequestContent',
          "The request content was invalid and could not be deserialized: 'tags' must be an object.",
        );
      v.tags = body.tags as Record<string, string>;
    }
    const props = body.properties as Record<string, unknown> | undefined;
    if (props === undefined || props === null) return;
    if (typeof props !== 'object')
      throw armError(
        400,
        'InvalidRequestContent',
        "The request content was invalid and could not be deserialized: 'properties' must be an object.",
      );
    const target = v.properties as VaultProperties;
    for (const k of BOOL_PROPS) {
      if (props[k] === undefined || props[k] === null) continue;
      if (typeof props[k] !== 'boolean') {
        throw armError(
          400,
          'InvalidRequestContent',
          `The request content was invalid and could not be deserialized: Error converting value "${String(props[k])}" to type 'System.Boolean'. Path 'properties.${k}'.`,
        );
      }
    }
    if (props.enableSoftDelete === false && target.enableSoftDelete) {
      throw armError(
        400,
        'BadRequest',
        'The property "enableSoftDelete" cannot be set to false. Enabling the \'soft delete\' functionality is an irreversible action.',
      );
    }
    if (props.enablePurgeProtection === false && target.enablePurgeProtection) {
      throw armError(
        400,
        'BadRequest',
        'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.',
      );
    }
    if (
      !creating &&
      typeof props.enableRbacAuthorization === 'boolean' &&
      props.enableRbacAuthorization !== target.enableRbacAuthorization
    ) {
      // Switching the permission model needs roleAssignments/write (Owner / User Access Administrator).
      this.require(caller, 'Microsoft.Authorization/roleAssignments/write', vaultId(v));
    }
    for (const k of BOOL_PROPS) {
      if (typeof props[k] === 'boolean') (target as Record<string, unknown>)[k] = props[k];
    }
    if (props.softDeleteRetentionInDays !== undefined) {
      const n = props.softDeleteRetentionInDays;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 7 || n > 90) {
        throw armError(
          400,
          'BadRequest',
          'The property "softDeleteRetentionInDays" must be an integer between 7 and 90.',
        );
      }
      target.softDeleteRetentionInDays = n;
    }
    if (props.sku !== undefined) target.sku = props.sku as VaultProperties['sku'];
    if (props.accessPolicies !== undefined) {
      if (!Array.isArray(props.accessPolicies))
        throw armError(400, 'InvalidRequestContent', "'properties.accessPolicies' must be an array.");
      target.accessPolicies = (props.accessPolicies as VaultProperties['accessPolicies']).map((a) => ({
        ...a,
        permissions: a.permissions ?? {},
      }));
    }
    if (props.networkAcls !== undefined) target.networkAcls = props.networkAcls;
    if (props.publicNetworkAccess !== undefined)
      target.publicNetworkAccess = props.publicNetworkAccess as VaultProperties['publicNetworkAccess'];
    if (typeof props.tenantId === 'string') target.tenantId = props.tenantId;
  }
}
