import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Ctx } from './http.js';
import { parseJsonBody, readBody, sendEmpty, sendJson } from './http.js';
import { MSG, azError, badParameter, certNotFound, notImplemented } from './errors.js';
import { TENANT_ID, VAULT_AUDIENCE, VAULT_DNS_SUFFIX, newVersion, nowSeconds } from './ids.js';
import {
  ParseError,
  buildPasswordlessPkcs12,
  buildPem,
  decodeBase64Strict,
  parsePem,
  parsePkcs12,
  type ParsedCertificate,
} from './pkcs12.js';
import { hasDataAction, hasPolicyPermission } from './rbac.js';
import type { CertVersion, Certificate, Store, Vault, WirePolicy } from './state.js';
import { vaultId } from './state.js';
import { TokenError, bearerToken, type TokenService } from './tokens.js';
import { certFacts, keyProps } from './x509info.js';
import { SubjectError, certificationRequest, generateKey, pkcs8Der, selfSignedCertificate } from './selfsign.js';

/** api-versions the certificates/secrets SDKs may send (keyvault-wire.md §1). */
export const KV_API_VERSIONS = new Set([
  '7.0',
  '7.1',
  '7.2',
  '7.3',
  '7.4',
  '7.5',
  '7.6-preview.1',
  '7.6-preview.2',
  '7.6',
  '2025-06-01',
  '2025-07-01',
]);
const KV_LATEST = '2025-07-01';

export interface KeyVaultDeps {
  store: Store;
  tokens: TokenService;
  authority: () => string;
}

export interface Caller {
  oid: string;
  tid: string;
  appid: string;
  iss: string;
  upn?: string;
}

type CertPerm = 'get' | 'list' | 'import' | 'create' | 'update' | 'delete' | 'recover' | 'purge' | 'backup' | 'restore';

const CERT_DATA_ACTION: Record<CertPerm, string> = {
  get: 'Microsoft.KeyVault/vaults/certificates/read',
  list: 'Microsoft.KeyVault/vaults/certificates/read',
  import: 'Microsoft.KeyVault/vaults/certificates/import/action',
  create: 'Microsoft.KeyVault/vaults/certificates/create/action',
  update: 'Microsoft.KeyVault/vaults/certificates/update/action',
  delete: 'Microsoft.KeyVault/vaults/certificates/delete',
  recover: 'Microsoft.KeyVault/vaults/certificates/recover/action',
  purge: 'Microsoft.KeyVault/vaults/certificates/purge/action',
  backup: 'Microsoft.KeyVault/vaults/certificates/backup/action',
  restore: 'Microsoft.KeyVault/vaults/certificates/restore/action',
};

const NAME_RE = /^[0-9a-zA-Z-]{1,127}$/;

function kvHeaders(vault: Vault): Record<string, string> {
  return {
    'x-ms-keyvault-region': vault.location,
    'x-ms-keyvault-service-version': '1.9.2903.1',
    'x-ms-keyvault-network-info': 'conn_type=Ipv4;addr=127.0.0.1;act_addr_fam=InterNetwork;',
  };
}

export function recoveryOf(vault: Vault): { recoveryLevel: string; recoverableDays?: number } {
  const p = vault.properties;
  if (!p.enableSoftDelete) return { recoveryLevel: 'Purgeable' };
  const days = p.softDeleteRetentionInDays ?? 90;
  const custom = days < 90 ? 'CustomizedRecoverable' : 'Recoverable';
  return { recoveryLevel: p.enablePurgeProtection ? custom : `${custom}+Purgeable`, recoverableDays: days };
}

export class KeyVault {
  constructor(private readonly d: KeyVaultDeps) {}

  /** Vault for a Host name like kv-contoso-prod.vault.localhost; undefined if not a vault host. */
  vaultForHost(hostname: string): Vault | null | undefined {
    const suffix = `.${VAULT_DNS_SUFFIX}`;
    if (!hostname.endsWith(suffix)) return undefined;
    const name = hostname.slice(0, -suffix.length);
    return this.d.store.state.vaults.find((v) => v.name.toLowerCase() === name) ?? null;
  }

  private challenge(): string {
    return `Bearer authorization="${this.d.authority()}", resource="${VAULT_AUDIENCE}"`;
  }

  async handle(ctx: Ctx, vault: Vault | null): Promise<void> {
    if (!vault) {
      // The real service's DNS would not resolve; the closest HTTP answer is a 404 without a body shape.
      throw azError(404, 'VaultNotFound', `The vault host '${ctx.hostname}' does not exist in the sandbox.`);
    }
    // 1. Authentication comes first, before reading the body (keyvault-wire.md §3, §13.1).
    const caller = await this.authenticate(ctx, vault);
    // 2. Network rules (firewall): public access disabled, or default action Deny without a matching IP rule.
    this.checkFirewall(vault, caller);
    // 3. api-version
    const apiVersion = ctx.query.get('api-version');
    if (!apiVersion) {
      throw badParameter('The api-version query parameter is missing.');
    }
    if (!KV_API_VERSIONS.has(apiVersion)) {
      throw badParameter(
        `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${KV_LATEST}).`,
      );
    }
    // 4. Route
    const segs = ctx.pathname
      .split('/')
      .slice(1)
      .map((x) => decodeURIComponent(x));
    const m = ctx.method;
    const [collection, name, third] = segs;
    const n = segs.length;
    const isVersion = (x: string | undefined) => x !== undefined && /^[0-9a-f]{32}$/i.test(x);
    if (collection === 'certificates') {
      if (n === 1 || (n === 2 && name === '')) {
        if (m === 'GET') return this.listCertificates(ctx, vault, caller);
      } else if (name !== undefined) {
        if (name === '') throw azError(405, 'MethodNotAllowed', `HTTP ${m} not allowed`);
        if (name === 'restore' && n === 2 && m === 'POST') throw notImplemented(m, ctx.pathname);
        if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
        if (n === 2 || (n === 3 && (third === '' || isVersion(third)))) {
          const version = n === 3 && third ? third : undefined;
          if (m === 'GET') return this.getCertificate(ctx, vault, caller, name, version);
          if (m === 'PATCH') return this.updateCertificate(ctx, vault, caller, name, version);
          if (m === 'DELETE' && n === 2) return this.deleteCertificate(ctx, vault, caller, name);
        }
        if (n === 3) {
          if (third === 'import' && m === 'POST') return this.importCertificate(ctx, vault, caller, name);
          if (third === 'create' && m === 'POST') return this.createCertificate(ctx, vault, caller, name);
          if (third === 'versions' && m === 'GET') return this.listVersions(ctx, vault, caller, name);
          if (third === 'policy' && m === 'GET') return this.getPolicy(ctx, vault, caller, name);
          if (third === 'policy' && m === 'PATCH') return this.updatePolicy(ctx, vault, caller, name);
          if (third === 'pending' && m === 'GET') return this.getPending(ctx, vault, caller, name);
          if (third === 'pending' && m === 'PATCH') return this.cancelPending(ctx, vault, caller, name);
          if (third === 'pending' && m === 'DELETE') return this.deletePending(ctx, vault, caller, name);
        }
      }
    }
    if (
      collection === 'certificates' &&
      n === 4 &&
      name &&
      NAME_RE.test(name) &&
      third === 'pending' &&
      segs[3] === 'merge' &&
      m === 'POST'
    ) {
      return this.mergeCertificate(ctx, vault, caller, name);
    }
    if (collection === 'deletedcertificates') {
      if ((n === 1 || (n === 2 && name === '')) && m === 'GET') return this.listDeleted(ctx, vault, caller);
      if (name && NAME_RE.test(name)) {
        if (n === 2 && m === 'GET') return this.getDeleted(ctx, vault, caller, name);
        if (n === 2 && m === 'DELETE') return this.purgeDeleted(ctx, vault, caller, name);
        if (n === 3 && third === 'recover' && m === 'POST') return this.recoverDeleted(ctx, vault, caller, name);
      }
    }
    if (collection === 'secrets' && m === 'GET' && (n === 1 || (n === 2 && name === '')))
      return this.listSecrets(ctx, vault, caller);
    if (collection === 'secrets' && m === 'GET' && n === 3 && name && third === 'versions')
      return this.listSecrets(ctx, vault, caller, name);
    if (
      collection === 'secrets' &&
      name &&
      (n === 2 || (n === 3 && (third === '' || isVersion(third)))) &&
      m === 'GET'
    ) {
      return this.getSecret(ctx, vault, caller, name, third || undefined);
    }
    throw notImplemented(m, ctx.pathname);
  }

  private checkFirewall(vault: Vault, _caller: Caller): void {
    const p = vault.properties;
    const acls = (p.networkAcls ?? {}) as { defaultAction?: string; ipRules?: { value?: string }[] };
    const client = '127.0.0.1';
    const allowedByRule = (acls.ipRules ?? []).some((r) => r.value === client || r.value === `${client}/32`);
    if (p.publicNetworkAccess === 'Disabled' || (acls.defaultAction === 'Deny' && !allowedByRule)) {
      throw azError(
        403,
        'Forbidden',
        `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${client}\r\nCaller: appid=${_caller.appid};oid=${_caller.oid};iss=${_caller.iss}\r\nVault: ${vault.name};location=${vault.location}`,
        'ForbiddenByFirewall',
      );
    }
  }

  private async authenticate(ctx: Ctx, vault: Vault): Promise<Caller> {
    const header = ctx.req.headers.authorization;
    const challengeHeaders = { 'www-authenticate': this.challenge(), ...kvHeaders(vault) };
    if (!header) {
      ctx.req.resume();
      throw azError(
        401,
        'Unauthorized',
        'AKV10000: Request is missing a Bearer or PoP token.',
        undefined,
        challengeHeaders,
      );
    }
    const token = bearerToken(header);
    if (!token) {
      ctx.req.resume();
      throw azError(
        401,
        'Unauthorized',
        'AKV10001: Unsupported authorization scheme. Bearer or PoP expected.',
        undefined,
        challengeHeaders,
      );
    }
    try {
      const { payload } = await this.d.tokens.verify(token, [VAULT_AUDIENCE, `${VAULT_AUDIENCE}/`]);
      return {
        oid: String(payload.oid ?? payload.sub ?? ''),
        tid: String(payload.tid ?? ''),
        appid: String(payload.azp ?? payload.appid ?? ''),
        iss: String(payload.iss ?? ''),
        upn: typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined,
      };
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      ctx.req.resume();
      const p = e.problem;
      const msg =
        p.kind === 'audience'
          ? `AKV10022: Invalid audience. Expected ${VAULT_AUDIENCE}, found: ${p.found}.`
          : p.kind === 'issuer'
            ? `AKV10032: Invalid issuer. Expected one of ${this.d.authority()}/v2.0, found ${p.found}.`
            : p.kind === 'expired'
              ? `AKV10020: Token is expired. Expired at ${new Date(p.exp * 1000).toISOString()}.`
              : p.kind === 'notYetValid'
                ? 'AKV10021: Token is not yet valid.'
                : p.kind === 'signature'
                  ? 'AKV10005: Token signature validation failed.'
                  : 'AKV10004: Token is malformed.';
      throw azError(401, 'Unauthorized', msg, undefined, challengeHeaders);
    }
  }

  /** Enforces the vault's permission model; throws Key Vault's exact 403 shapes. */
  private authorize(
    vault: Vault,
    caller: Caller,
    kind: 'certificates' | 'secrets',
    perm: string,
    dataAction: string,
    objectName?: string,
  ): void {
    const state = this.d.store.state;
    const callerText = `appid=${caller.appid};oid=${caller.oid};iss=${caller.iss}`;
    if (vault.properties.enableRbacAuthorization) {
      if (hasDataAction(state, caller.oid, vault, dataAction)) return;
      const resource =
        vaultId(vault)
          .replace('/resourceGroups/', '/resourcegroups/')
          .replace('/providers/Microsoft.KeyVault/', '/providers/microsoft.keyvault/') +
        (objectName ? `/${kind}/${objectName}` : '');
      throw azError(
        403,
        'Forbidden',
        `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${callerText}\r\nAction: '${dataAction}'\r\nResource: '${resource.toLowerCase()}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault.name};location=${vault.location}\r\n`,
        'ForbiddenByRbac',
      );
    }
    if (hasPolicyPermission(vault, caller.tid || TENANT_ID, caller.oid, kind, perm)) return;
    throw azError(
      403,
      'Forbidden',
      `The user, group or application '${callerText}' does not have ${kind} ${perm} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
      'ForbiddenByPolicy',
    );
  }

  authorizeCert(vault: Vault, caller: Caller, perm: CertPerm, name?: string): void {
    this.authorize(vault, caller, 'certificates', perm, CERT_DATA_ACTION[perm], name);
  }

  // ---- model helpers ------------------------------------------------------------------------------------

  private origin(ctx: Ctx): string {
    return ctx.origin;
  }

  private findCert(vault: Vault, name: string): Certificate | undefined {
    return this.d.store.vaultCerts(vault.name)[name.toLowerCase()];
  }

  private latest(cert: Certificate): CertVersion | undefined {
    return cert.versions[cert.versions.length - 1];
  }

  policyJson(origin: string, cert: Certificate, policy: WirePolicy = cert.policy): Record<string, unknown> {
    return { id: `${origin}/certificates/${cert.name}/policy`, ...policy };
  }

  attributesJson(vault: Vault, v: CertVersion): Record<string, unknown> {
    return {
      enabled: v.enabled,
      nbf: v.nbf,
      exp: v.exp,
      created: v.created,
      updated: v.updated,
      ...recoveryOf(vault),
    };
  }

  bundleJson(origin: string, vault: Vault, cert: Certificate, v: CertVersion): Record<string, unknown> {
    const leaf = v.chain[0]!;
    const body: Record<string, unknown> = {
      id: `${origin}/certificates/${cert.name}/${v.version}`,
      kid: `${origin}/keys/${cert.name}/${v.version}`,
      sid: `${origin}/secrets/${cert.name}/${v.version}`,
      x5t: v.x5t,
      cer: leaf,
      attributes: this.attributesJson(vault, v),
      policy: this.policyJson(origin, cert),
    };
    if (v.tags && Object.keys(v.tags).length > 0) body.tags = v.tags;
    if (v.preserveCertOrder) body.preserveCertOrder = true;
    return body;
  }

  private defaultPolicy(
    parsed: ParsedCertificate,
    leafDer: Buffer,
    contentType: string,
    requested: Record<string, unknown> | undefined,
    now: number,
  ): WirePolicy {
    const f = certFacts(leafDer);
    const req = requested ?? {};
    const x509: Record<string, unknown> = { subject: f.subject };
    if (f.sans) x509.sans = f.sans;
    x509.ekus = f.ekus;
    x509.key_usage = f.keyUsage;
    x509.validity_months = f.validityMonths;
    const reqKey = (req.key_props ?? {}) as Record<string, unknown>;
    const derivedKey = keyProps(parsed.key);
    return {
      key_props: {
        ...derivedKey,
        ...(typeof reqKey.exportable === 'boolean' ? { exportable: reqKey.exportable } : {}),
        ...(typeof reqKey.reuse_key === 'boolean' ? { reuse_key: reqKey.reuse_key } : {}),
      },
      secret_props: { contentType },
      x509_props: x509,
      lifetime_actions: Array.isArray(req.lifetime_actions)
        ? req.lifetime_actions
        : [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Unknown', ...((req.issuer as Record<string, unknown>) ?? {}) },
      attributes: { enabled: true, created: now, updated: now },
    };
  }

  private rejectIfDeleted(cert: Certificate | undefined, name: string): void {
    if (cert?.deleted) {
      throw azError(
        409,
        'Conflict',
        `Certificate ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.`,
        'ObjectIsDeletedButRecoverable',
      );
    }
  }

  // ---- operations ---------------------------------------------------------------------------------------

  private async importCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
    this.authorizeCert(vault, caller, 'import', name);
    const existing = this.findCert(vault, name);
    this.rejectIfDeleted(existing, name);
    let body: Record<string, unknown>;
    try {
      const parsed = parseJsonBody(await readBody(ctx.req));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      throw badParameter('The request body is not valid JSON.');
    }
    const value = body.value;
    if (typeof value !== 'string' || value.length === 0) throw badParameter('Property value is required.');
    const pwd = body.pwd;
    if (pwd !== undefined && pwd !== null && typeof pwd !== 'string')
      throw badParameter('Property pwd has invalid value.');
    if (typeof pwd === 'string' && pwd.length > 200)
      throw badParameter('The password char length is too long. Maximum length is 200.');
    const policyReq =
      body.policy && typeof body.policy === 'object' ? (body.policy as Record<string, unknown>) : undefined;
    const secretProps = (policyReq?.secret_props ?? {}) as Record<string, unknown>;
    const contentType =
      secretProps.contentType === 'application/x-pem-file' ? 'application/x-pem-file' : 'application/x-pkcs12';
    if (
      secretProps.contentType !== undefined &&
      secretProps.contentType !== 'application/x-pem-file' &&
      secretProps.contentType !== 'application/x-pkcs12'
    ) {
      throw badParameter('Property policy has invalid value\r\n');
    }
    let parsed: ParsedCertificate;
    try {
      if (contentType === 'application/x-pem-file') {
        parsed = parsePem(value);
      } else {
        const bytes = decodeBase64Strict(value);
        if (!bytes) throw badParameter(MSG.notBase64);
        parsed = parsePkcs12(bytes, typeof pwd === 'string' && pwd.length > 0 ? pwd : undefined);
      }
    } catch (e) {
      if (e instanceof ParseError) {
        const msg =
          e.reason === 'notBase64'
            ? MSG.notBase64
            : e.reason === 'notPkcs12' || e.reason === 'wrongPassword'
              ? MSG.notPkcs12
              : e.reason === 'noPrivateKey' || e.reason === 'multipleKeys'
                ? MSG.noKey
                : e.reason === 'pemNoKey'
                  ? MSG.pemNoKey
                  : e.reason === 'pemFormat'
                    ? MSG.pemFormat
                    : MSG.unsupportedKey;
        throw badParameter(msg);
      }
      throw e;
    }
    const preserve = body.preserveCertOrder === true;
    // Stored leaf first (Key Vault reorders unless preserveCertOrder; the flag is echoed back, order kept leaf-first).
    const ordered = [parsed.certs[parsed.leafIndex]!, ...parsed.certs.filter((_, i) => i !== parsed.leafIndex)];
    const leafDer = parsed.certs[parsed.leafIndex]!;
    const facts = certFacts(leafDer);
    const now = nowSeconds();
    if (facts.exp <= now) throw badParameter(MSG.expired);
    if (facts.subject.length > 200) throw badParameter('The subject char length is too long. Maximum length is 200.');
    const attrsReq = (body.attributes ?? {}) as Record<string, unknown>;
    const tags = body.tags && typeof body.tags === 'object' ? (body.tags as Record<string, string>) : undefined;
    const policy = this.defaultPolicy(parsed, leafDer, contentType, policyReq, now);
    const version: CertVersion = {
      version: newVersion(),
      created: now,
      updated: now,
      enabled: attrsReq.enabled === false ? false : true,
      nbf: facts.nbf,
      exp: facts.exp,
      ...(tags ? { tags } : {}),
      keyPkcs8: createPrivateKey({ key: parsed.keyPkcs8, format: 'der', type: 'pkcs8' })
        .export({ type: 'pkcs8', format: 'der' })
        .toString('base64'),
      chain: ordered.map((d) => d.toString('base64')),
      x5t: facts.x5t,
      contentType,
      ...(preserve ? { preserveCertOrder: true } : {}),
      policy,
    };
    const certs = this.d.store.vaultCerts(vault.name);
    // Look again: another request may have changed this name while the body was read.
    const current = this.findCert(vault, name);
    this.rejectIfDeleted(current, name);
    const cert: Certificate = current ?? { name, versions: [], policy };
    if (current) {
      const prevCreated = (current.policy.attributes as Record<string, unknown> | undefined)?.created;
      cert.policy = {
        ...policy,
        attributes: { enabled: true, created: typeof prevCreated === 'number' ? prevCreated : now, updated: now },
      };
    }
    cert.versions.push(version);
    certs[name.toLowerCase()] = cert;
    this.d.store.save();
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, version), kvHeaders(vault));
  }

  private async getCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string, version?: string): Promise<void> {
    this.authorizeCert(vault, caller, 'get', name);
    const maybePending = this.findCert(vault, name);
    const p = maybePending?.pending;
    if (
      maybePending &&
      !maybePending.deleted &&
      p &&
      p.status !== 'completed' &&
      (version ? version.toLowerCase() === p.version : maybePending.versions.length === 0)
    ) {
      // A certificate whose first version is still being issued: Key Vault answers with the pending version
      // (disabled, no cer/x5t yet) and a `pending` link; the SDK's operation poller starts with this GET.
      const origin = this.origin(ctx);
      const cert = maybePending;
      sendJson(
        ctx,
        200,
        {
          id: `${origin}/certificates/${cert.name}/${p.version}`,
          kid: `${origin}/keys/${cert.name}/${p.version}`,
          sid: `${origin}/secrets/${cert.name}/${p.version}`,
          attributes: { enabled: false, created: p.created, updated: p.created, ...recoveryOf(vault) },
          policy: this.policyJson(origin, cert, p.policy),
          ...(p.tags ? { tags: p.tags } : {}),
          pending: { id: `${origin}/certificates/${cert.name}/pending` },
        },
        kvHeaders(vault),
      );
      return;
    }
    const cert = this.liveCert(vault, name);
    const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : this.latest(cert);
    if (!v) throw certNotFound(name);
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, v), kvHeaders(vault));
  }

  private async jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
    let parsed: unknown;
    try {
      parsed = parseJsonBody(await readBody(ctx.req));
    } catch {
      throw badParameter('The request body is not valid JSON.');
    }
    if (parsed === undefined) return {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw badParameter('The request body must be a JSON object.');
    return parsed as Record<string, unknown>;
  }

  private liveCert(vault: Vault, name: string): Certificate {
    const cert = this.findCert(vault, name);
    if (!cert || cert.deleted || cert.versions.length === 0) throw certNotFound(name);
    return cert;
  }

  private itemJson(
    origin: string,
    vault: Vault,
    cert: Certificate,
    v: CertVersion,
    withVersion: boolean,
  ): Record<string, unknown> {
    const item: Record<string, unknown> = {
      id: `${origin}/certificates/${cert.name}${withVersion ? `/${v.version}` : ''}`,
      x5t: v.x5t,
      attributes: this.attributesJson(vault, v),
      subject: '',
    };
    if (v.tags && Object.keys(v.tags).length) item.tags = v.tags;
    return item;
  }

  /** `maxresults` 1..25 and an opaque `$skiptoken`; nextLink on the caller's own origin. */
  private pageOf<T>(ctx: Ctx, items: T[], path: string): { value: T[]; nextLink: string | null } {
    const mr = ctx.query.get('maxresults');
    let max = 25;
    if (mr !== null) {
      const v = Number(mr);
      if (!Number.isInteger(v) || v < 1 || v > 25)
        throw badParameter('invalid maxresults parameter. maxresults must be between 1 and 25.');
      max = v;
    }
    const tok = ctx.query.get('$skiptoken');
    let start = 0;
    if (tok) {
      const decoded = Number(
        Buffer.from(tok, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(decoded) || decoded < 0) throw badParameter('The $skiptoken parameter is invalid.');
      start = decoded;
    }
    const value = items.slice(start, start + max);
    let nextLink: string | null = null;
    if (start + max < items.length) {
      const token = Buffer.from(`offset:${start + max}`).toString('base64url');
      const extra =
        ctx.query.get('includePending') !== null ? `&includePending=${ctx.query.get('includePending')}` : '';
      nextLink = `${ctx.origin}${path}?api-version=${ctx.query.get('api-version')}&$skiptoken=${token}&maxresults=${max}${extra}`;
    }
    return { value, nextLink };
  }

  private async listCertificates(ctx: Ctx, vault: Vault, caller: Caller): Promise<void> {
    this.authorizeCert(vault, caller, 'list');
    const includePending = ctx.query.get('includePending') === 'true';
    const origin = this.origin(ctx);
    const certs = Object.values(this.d.store.vaultCerts(vault.name))
      .filter((c) => !c.deleted && (c.versions.length > 0 || (includePending && c.pending)))
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const items = certs.map((c) => {
      const v = this.latest(c);
      if (v) return this.itemJson(origin, vault, c, v, false);
      return {
        id: `${origin}/certificates/${c.name}`,
        attributes: { enabled: true, created: nowSeconds(), updated: nowSeconds(), ...recoveryOf(vault) },
        subject: '',
      };
    });
    sendJson(ctx, 200, this.pageOf(ctx, items, '/certificates'), kvHeaders(vault));
  }

  private async listVersions(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'list', name);
    const origin = this.origin(ctx);
    const cert = this.findCert(vault, name);
    const items = cert && !cert.deleted ? cert.versions.map((v) => this.itemJson(origin, vault, cert, v, true)) : [];
    sendJson(ctx, 200, this.pageOf(ctx, items, `/certificates/${encodeURIComponent(name)}/versions`), kvHeaders(vault));
  }

  private async getPolicy(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'get', name);
    const cert = this.findCert(vault, name);
    if (!cert || cert.deleted) throw certNotFound(name);
    sendJson(ctx, 200, this.policyJson(this.origin(ctx), cert), kvHeaders(vault));
  }

  /** Validates and normalises a wire policy fragment; throws Key Vault's "Property policy has invalid value". */
  private checkPolicy(p: Record<string, unknown>): void {
    const bad = () => badParameter('Property policy has invalid value\r\n');
    const kp = p.key_props as Record<string, unknown> | undefined;
    if (kp !== undefined) {
      if (typeof kp !== 'object' || kp === null) throw bad();
      if (kp.kty !== undefined && !['RSA', 'RSA-HSM', 'EC', 'EC-HSM'].includes(String(kp.kty))) throw bad();
      if (kp.key_size !== undefined && ![2048, 3072, 4096, 256, 384, 521].includes(Number(kp.key_size))) throw bad();
      if (kp.crv !== undefined && !['P-256', 'P-384', 'P-521', 'P-256K'].includes(String(kp.crv))) throw bad();
    }
    const sp = p.secret_props as Record<string, unknown> | undefined;
    if (
      sp?.contentType !== undefined &&
      !['application/x-pkcs12', 'application/x-pem-file'].includes(String(sp.contentType))
    )
      throw bad();
    const xp = p.x509_props as Record<string, unknown> | undefined;
    if (
      xp?.validity_months !== undefined &&
      (!Number.isInteger(xp.validity_months) || Number(xp.validity_months) < 1 || Number(xp.validity_months) > 1200)
    )
      throw bad();
    if (p.lifetime_actions !== undefined) {
      if (!Array.isArray(p.lifetime_actions)) throw bad();
      for (const la of p.lifetime_actions as Record<string, any>[]) {
        const t = la?.action?.action_type;
        if (t !== 'EmailContacts' && t !== 'AutoRenew') throw bad();
        const tr = la?.trigger ?? {};
        if (tr.lifetime_percentage === undefined && tr.days_before_expiry === undefined) throw bad();
      }
    }
  }

  private mergePolicy(base: WirePolicy, patch: Record<string, unknown>, now: number): WirePolicy {
    const out: WirePolicy = { ...base };
    for (const k of ['key_props', 'secret_props', 'x509_props', 'issuer'] as const) {
      if (patch[k] && typeof patch[k] === 'object')
        out[k] = { ...((base[k] as object) ?? {}), ...(patch[k] as object) };
    }
    if (Array.isArray(patch.lifetime_actions)) out.lifetime_actions = patch.lifetime_actions;
    const prev = (base.attributes ?? {}) as Record<string, unknown>;
    const pa = (patch.attributes ?? {}) as Record<string, unknown>;
    out.attributes = {
      enabled: typeof pa.enabled === 'boolean' ? pa.enabled : (prev.enabled ?? true),
      created: prev.created ?? now,
      updated: now,
    };
    return out;
  }

  private async updatePolicy(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'update', name);
    const cert = this.findCert(vault, name);
    if (!cert || cert.deleted) throw certNotFound(name);
    const body = await this.jsonBody(ctx);
    this.checkPolicy(body);
    cert.policy = this.mergePolicy(cert.policy, body, nowSeconds());
    this.d.store.save();
    sendJson(ctx, 200, this.policyJson(this.origin(ctx), cert), kvHeaders(vault));
  }

  private async updateCertificate(
    ctx: Ctx,
    vault: Vault,
    caller: Caller,
    name: string,
    version?: string,
  ): Promise<void> {
    this.authorizeCert(vault, caller, 'update', name);
    const cert = this.liveCert(vault, name);
    const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : this.latest(cert);
    if (!v) throw certNotFound(name);
    const body = await this.jsonBody(ctx);
    const attrs = (body.attributes ?? {}) as Record<string, unknown>;
    if (attrs.enabled !== undefined && typeof attrs.enabled !== 'boolean')
      throw badParameter('Property attributes.enabled has invalid value.');
    const now = nowSeconds();
    if (typeof attrs.enabled === 'boolean') v.enabled = attrs.enabled;
    if (body.tags !== undefined) {
      if (body.tags === null || typeof body.tags !== 'object') throw badParameter('Property tags has invalid value.');
      v.tags = body.tags as Record<string, string>;
    }
    if (body.policy && typeof body.policy === 'object') {
      this.checkPolicy(body.policy as Record<string, unknown>);
      cert.policy = this.mergePolicy(cert.policy, body.policy as Record<string, unknown>, now);
    }
    v.updated = now;
    this.d.store.save();
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, v), kvHeaders(vault));
  }

  // ---- create (self-signed) + pending operation ----------------------------------------------------------

  private async createCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'create', name);
    const existing = this.findCert(vault, name);
    this.rejectIfDeleted(existing, name);
    if (existing?.pending?.status === 'inProgress') {
      throw azError(
        409,
        'Conflict',
        `There is a pending operation for certificate ${name}. Cancel or delete the pending operation before creating a new one.`,
        'PendingOperationExists',
      );
    }
    const body = await this.jsonBody(ctx);
    const reqPolicy = (body.policy ?? {}) as Record<string, unknown>;
    if (typeof reqPolicy !== 'object') throw badParameter('Property policy has invalid value\r\n');
    this.checkPolicy(reqPolicy);
    const now = nowSeconds();
    const kp = (reqPolicy.key_props ?? {}) as Record<string, any>;
    const xp = (reqPolicy.x509_props ?? {}) as Record<string, any>;
    const issuerName = String(((reqPolicy.issuer ?? {}) as Record<string, unknown>).name ?? '');
    if (!issuerName) throw badParameter('Property policy.issuer.name is required.');
    if (issuerName !== 'Self' && issuerName !== 'Unknown') {
      throw badParameter(`Issuer ${issuerName} is not found. Create the issuer first, or use 'Self' or 'Unknown'.`);
    }
    const sans = (xp.sans ?? {}) as Record<string, string[] | undefined>;
    const hasSans = !!(sans.dns_names?.length || sans.emails?.length || sans.upns?.length);
    if (!xp.subject && !hasSans) throw badParameter('Property policy has invalid value\r\n');
    const kty = String(kp.kty ?? 'RSA');
    const isEc = kty.startsWith('EC');
    const keyPropsOut: Record<string, unknown> = {
      exportable: kp.exportable ?? true,
      kty,
      key_size:
        kp.key_size ??
        (isEc ? (({ 'P-384': 384, 'P-521': 521 } as Record<string, number>)[String(kp.crv)] ?? 256) : 2048),
      reuse_key: kp.reuse_key ?? false,
      ...(isEc ? { crv: kp.crv ?? 'P-256' } : {}),
    };
    const subject = String(xp.subject ?? '');
    const policy: WirePolicy = {
      key_props: keyPropsOut,
      secret_props: {
        contentType: ((reqPolicy.secret_props ?? {}) as Record<string, unknown>).contentType ?? 'application/x-pkcs12',
      },
      x509_props: {
        subject,
        ...(hasSans ? { sans } : {}),
        ekus: Array.isArray(xp.ekus) ? xp.ekus : ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
        key_usage: Array.isArray(xp.key_usage) ? xp.key_usage : ['digitalSignature', 'keyEncipherment'],
        validity_months: xp.validity_months ?? 12,
        basic_constraints: { ca: false },
      },
      lifetime_actions: Array.isArray(reqPolicy.lifetime_actions)
        ? reqPolicy.lifetime_actions
        : [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'AutoRenew' } }],
      issuer: { name: issuerName, ...((reqPolicy.issuer as object) ?? {}) },
      attributes: { enabled: true, created: now, updated: now },
    };
    let key;
    let csr: Buffer;
    try {
      key = generateKey(kty, Number(keyPropsOut.key_size), keyPropsOut.crv as string | undefined);
      csr = certificationRequest(key, subject || `CN=${sans.dns_names?.[0] ?? name}`);
    } catch (e) {
      if (e instanceof SubjectError) throw badParameter(`Property x509_props.subject has invalid value: ${e.message}.`);
      throw e;
    }
    const attrs = (body.attributes ?? {}) as Record<string, unknown>;
    const current = this.findCert(vault, name); // again: the body was read asynchronously
    this.rejectIfDeleted(current, name);
    if (current?.pending?.status === 'inProgress') {
      throw azError(
        409,
        'Conflict',
        `There is a pending operation for certificate ${name}. Cancel or delete the pending operation before creating a new one.`,
        'PendingOperationExists',
      );
    }
    const cert: Certificate = current ?? { name, versions: [], policy };
    cert.policy = policy;
    cert.pending = {
      requestId: newVersion(),
      version: newVersion(),
      created: now,
      status: 'inProgress',
      statusDetails:
        issuerName === 'Self'
          ? 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.'
          : 'Pending certificate created. Please Perform Merge to complete the request.',
      cancellationRequested: false,
      csr: csr.toString('base64'),
      keyPkcs8: pkcs8Der(key).toString('base64'),
      issuerName,
      readyAt: Date.now() + this.createDelayMs(),
      createAttributes: typeof attrs.enabled === 'boolean' ? { enabled: attrs.enabled } : {},
      ...(body.tags && typeof body.tags === 'object' ? { tags: body.tags as Record<string, string> } : {}),
      policy,
    };
    this.d.store.vaultCerts(vault.name)[name.toLowerCase()] = cert;
    this.d.store.save();
    const origin = this.origin(ctx);
    sendJson(ctx, 202, this.operationJson(origin, cert), {
      ...kvHeaders(vault),
      location: `${origin}/certificates/${cert.name}/pending?api-version=${ctx.query.get('api-version')}&request_id=${cert.pending.requestId}`,
      'retry-after': '10',
    });
  }

  /** How long a self-signed create stays "inProgress" (ms). Default 0: done at the first poll. */
  createDelayMs(): number {
    const v = Number(process.env.SANDBOX_CREATE_DELAY_MS ?? '0');
    return Number.isFinite(v) && v > 0 ? v : 0;
  }

  private operationJson(origin: string, cert: Certificate): Record<string, unknown> {
    const p = cert.pending!;
    const body: Record<string, unknown> = {
      id: `${origin}/certificates/${cert.name}/pending`,
      issuer: { name: p.issuerName },
      csr: p.csr,
      cancellation_requested: p.cancellationRequested,
      status: p.status,
      status_details: p.statusDetails,
      request_id: p.requestId,
    };
    if (p.status === 'completed') body.target = `${origin}/certificates/${cert.name}`;
    if (p.error) body.error = p.error;
    return body;
  }

  /** Completes a self-signed operation whose time has come: real key, real certificate, new version. */
  private advance(cert: Certificate): boolean {
    const p = cert.pending;
    if (!p || p.status !== 'inProgress' || p.issuerName !== 'Self' || Date.now() < p.readyAt) return false;
    const key = createPrivateKey({ key: Buffer.from(p.keyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    const xp = (p.policy.x509_props ?? {}) as Record<string, any>;
    const sans = (xp.sans ?? {}) as Record<string, string[] | undefined>;
    const der = selfSignedCertificate(key, {
      subject: xp.subject || `CN=${sans.dns_names?.[0] ?? cert.name}`,
      dnsNames: sans.dns_names,
      emails: sans.emails,
      ekus: xp.ekus,
      keyUsage: xp.key_usage,
      validityMonths: Number(xp.validity_months ?? 12),
    });
    const facts = certFacts(der);
    const now = nowSeconds();
    const contentType =
      ((p.policy.secret_props ?? {}) as Record<string, unknown>).contentType === 'application/x-pem-file'
        ? 'application/x-pem-file'
        : 'application/x-pkcs12';
    cert.versions.push({
      version: p.version ?? newVersion(),
      created: now,
      updated: now,
      enabled: p.createAttributes?.enabled ?? true,
      nbf: facts.nbf,
      exp: facts.exp,
      ...(p.tags ? { tags: p.tags } : {}),
      keyPkcs8: p.keyPkcs8,
      chain: [der.toString('base64')],
      x5t: facts.x5t,
      contentType,
      policy: p.policy,
    });
    p.status = 'completed';
    p.statusDetails = '';
    return true;
  }

  private pendingOr404(vault: Vault, name: string): Certificate {
    const cert = this.findCert(vault, name);
    if (!cert || cert.deleted || !cert.pending) {
      throw azError(404, 'PendingCertificateNotFound', `Pending certificate not found: ${name}`);
    }
    return cert;
  }

  private async getPending(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'get', name);
    const cert = this.pendingOr404(vault, name);
    if (this.advance(cert)) this.d.store.save();
    sendJson(ctx, 200, this.operationJson(this.origin(ctx), cert), kvHeaders(vault));
  }

  private async cancelPending(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'update', name);
    const cert = this.pendingOr404(vault, name);
    const body = await this.jsonBody(ctx);
    if (body.cancellation_requested !== true) throw badParameter('Property cancellation_requested has invalid value.');
    const p = cert.pending!;
    if (p.status === 'inProgress') {
      p.cancellationRequested = true;
      p.status = 'cancelled';
      p.statusDetails = 'Operation cancelled by the user.';
      this.d.store.save();
    }
    sendJson(ctx, 200, this.operationJson(this.origin(ctx), cert), kvHeaders(vault));
  }

  private async deletePending(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'delete', name);
    const cert = this.pendingOr404(vault, name);
    const body = this.operationJson(this.origin(ctx), cert);
    delete cert.pending;
    if (cert.versions.length === 0) delete this.d.store.vaultCerts(vault.name)[name.toLowerCase()];
    this.d.store.save();
    sendJson(ctx, 200, body, kvHeaders(vault));
  }

  /** Completes an `Unknown`-issuer request with the certificate(s) a CA signed for its CSR. */
  private async mergeCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'create', name);
    const cert = this.pendingOr404(vault, name);
    const body = await this.jsonBody(ctx);
    const x5c = body.x5c;
    if (!Array.isArray(x5c) || x5c.length === 0 || x5c.some((c) => typeof c !== 'string'))
      throw badParameter('Property x5c is required.');
    const p = cert.pending!;
    if (p.status !== 'inProgress')
      throw badParameter(`The pending operation of certificate ${name} is ${p.status} and cannot be merged.`);
    const ders = (x5c as string[]).map((c) => decodeBase64Strict(c));
    if (ders.some((d) => !d)) throw badParameter(MSG.notBase64);
    const key = createPrivateKey({ key: Buffer.from(p.keyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    let leafIndex = -1;
    ders.forEach((d, i) => {
      try {
        if (leafIndex < 0 && new X509Certificate(d!).checkPrivateKey(key)) leafIndex = i;
      } catch {
        throw badParameter(
          'The specified X.509 certificate content is invalid. Error: One or more X.509 properties are invalid.',
        );
      }
    });
    if (leafIndex < 0) throw badParameter("Public key from x509 certificate and key of this instance doesn't match");
    const leafDer = ders[leafIndex]!;
    const facts = certFacts(leafDer);
    const now = nowSeconds();
    if (facts.exp <= now) throw badParameter(MSG.expired);
    const attrs = (body.attributes ?? {}) as Record<string, unknown>;
    const contentType =
      ((p.policy.secret_props ?? {}) as Record<string, unknown>).contentType === 'application/x-pem-file'
        ? 'application/x-pem-file'
        : 'application/x-pkcs12';
    const version: CertVersion = {
      version: p.version,
      created: now,
      updated: now,
      enabled: typeof attrs.enabled === 'boolean' ? attrs.enabled : (p.createAttributes?.enabled ?? true),
      nbf: facts.nbf,
      exp: facts.exp,
      ...(body.tags && typeof body.tags === 'object'
        ? { tags: body.tags as Record<string, string> }
        : p.tags
          ? { tags: p.tags }
          : {}),
      keyPkcs8: p.keyPkcs8,
      chain: [leafDer, ...ders.filter((_, i) => i !== leafIndex).map((d) => d!)].map((d) => d.toString('base64')),
      x5t: facts.x5t,
      contentType,
      policy: p.policy,
    };
    cert.versions.push(version);
    p.status = 'completed';
    p.statusDetails = '';
    this.d.store.save();
    sendJson(ctx, 201, this.bundleJson(this.origin(ctx), vault, cert, version), kvHeaders(vault));
  }

  // ---- delete / soft delete / recover / purge ------------------------------------------------------------

  private deletedJson(origin: string, vault: Vault, cert: Certificate, item: boolean): Record<string, unknown> {
    const v = this.latest(cert)!;
    const base = item ? this.itemJson(origin, vault, cert, v, false) : this.bundleJson(origin, vault, cert, v);
    return {
      recoveryId: `${origin}/deletedcertificates/${cert.name}`,
      deletedDate: cert.deleted!.deletedDate,
      scheduledPurgeDate: cert.deleted!.scheduledPurgeDate,
      ...base,
    };
  }

  private async deleteCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'delete', name);
    const cert = this.liveCert(vault, name);
    const origin = this.origin(ctx);
    delete cert.pending;
    if (!vault.properties.enableSoftDelete) {
      const body = this.bundleJson(origin, vault, cert, this.latest(cert)!);
      delete this.d.store.vaultCerts(vault.name)[name.toLowerCase()];
      this.d.store.save();
      sendJson(ctx, 200, body, kvHeaders(vault));
      return;
    }
    const now = nowSeconds();
    cert.deleted = {
      deletedDate: now,
      scheduledPurgeDate: now + (vault.properties.softDeleteRetentionInDays ?? 90) * 86400,
    };
    this.d.store.save();
    sendJson(ctx, 200, this.deletedJson(origin, vault, cert, false), kvHeaders(vault));
  }

  private deletedOr404(vault: Vault, name: string): Certificate {
    const cert = this.findCert(vault, name);
    if (!cert?.deleted) throw azError(404, 'CertificateNotFound', `Deleted Certificate not found: ${name}`);
    return cert;
  }

  private async getDeleted(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'get', name);
    const cert = this.deletedOr404(vault, name);
    sendJson(ctx, 200, this.deletedJson(this.origin(ctx), vault, cert, false), kvHeaders(vault));
  }

  private async listDeleted(ctx: Ctx, vault: Vault, caller: Caller): Promise<void> {
    this.authorizeCert(vault, caller, 'list');
    const origin = this.origin(ctx);
    const items = Object.values(this.d.store.vaultCerts(vault.name))
      .filter((c) => c.deleted && c.versions.length > 0)
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
      .map((c) => this.deletedJson(origin, vault, c, true));
    sendJson(ctx, 200, this.pageOf(ctx, items, '/deletedcertificates'), kvHeaders(vault));
  }

  private async recoverDeleted(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'recover', name);
    const cert = this.deletedOr404(vault, name);
    delete cert.deleted;
    this.d.store.save();
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, this.latest(cert)!), kvHeaders(vault));
  }

  private async purgeDeleted(ctx: Ctx, vault: Vault, caller: Caller, name: string): Promise<void> {
    this.authorizeCert(vault, caller, 'purge', name);
    const cert = this.deletedOr404(vault, name);
    if (vault.properties.enablePurgeProtection) {
      throw azError(
        403,
        'Forbidden',
        'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
        'PurgeProtectionEnabled',
      );
    }
    void cert;
    delete this.d.store.vaultCerts(vault.name)[name.toLowerCase()];
    this.d.store.save();
    sendEmpty(ctx, 204, kvHeaders(vault));
  }

  /** Secrets list / versions: the managed secrets behind the certificates (no values). */
  private async listSecrets(ctx: Ctx, vault: Vault, caller: Caller, name?: string): Promise<void> {
    this.authorize(vault, caller, 'secrets', 'list', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', name);
    const origin = this.origin(ctx);
    const item = (c: Certificate, v: CertVersion, withVersion: boolean) => ({
      id: `${origin}/secrets/${c.name}${withVersion ? `/${v.version}` : ''}`,
      attributes: this.attributesJson(vault, v),
      contentType: v.contentType,
      managed: true,
      ...(v.tags && Object.keys(v.tags).length ? { tags: v.tags } : {}),
    });
    const certs = Object.values(this.d.store.vaultCerts(vault.name)).filter((c) => !c.deleted && c.versions.length > 0);
    const items = name
      ? (certs.find((c) => c.name.toLowerCase() === name.toLowerCase())?.versions ?? []).map((v) =>
          item(this.findCert(vault, name)!, v, true),
        )
      : certs
          .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
          .map((c) => item(c, this.latest(c)!, false));
    sendJson(
      ctx,
      200,
      this.pageOf(ctx, items, name ? `/secrets/${encodeURIComponent(name)}/versions` : '/secrets'),
      kvHeaders(vault),
    );
  }

  private async getSecret(ctx: Ctx, vault: Vault, caller: Caller, name: string, version?: string): Promise<void> {
    this.authorize(vault, caller, 'secrets', 'get', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', name);
    const cert = this.findCert(vault, name);
    const notFound = azError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
    if (!cert || cert.deleted) throw notFound;
    const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : this.latest(cert);
    if (!v) throw notFound;
    if (!v.enabled)
      throw azError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
    // A non-exportable key never leaves the vault: the secret then carries the certificates only (UNVERIFIED detail).
    const exportable = ((v.policy.key_props ?? {}) as Record<string, unknown>).exportable !== false;
    const key = exportable ? Buffer.from(v.keyPkcs8, 'base64') : null;
    const chain = v.chain.map((c) => Buffer.from(c, 'base64'));
    const value =
      v.contentType === 'application/x-pem-file'
        ? buildPem(key, chain)
        : buildPasswordlessPkcs12(key, chain, 0).toString('base64');
    const origin = this.origin(ctx);
    sendJson(
      ctx,
      200,
      {
        value,
        contentType: v.contentType,
        id: `${origin}/secrets/${cert.name}/${v.version}`,
        managed: true,
        attributes: this.attributesJson(vault, v),
        ...(v.tags && Object.keys(v.tags).length ? { tags: v.tags } : {}),
        kid: `${origin}/keys/${cert.name}/${v.version}`,
      },
      kvHeaders(vault),
    );
  }
}

export { sendEmpty };
