import { createPrivateKey } from 'node:crypto';
import type { Ctx } from './http.js';
import { HttpError, azError, notImplemented, parseJsonBody, readBody, sendEmpty, sendJson } from './http.js';
import { TENANT_ID, VAULT_AUDIENCE, VAULT_DNS_SUFFIX, newVersion, nowSeconds } from './ids.js';
import { ParseError, buildPasswordlessPkcs12, buildPem, decodeBase64Strict, parsePem, parsePkcs12, type ParsedCertificate } from './pkcs12.js';
import { hasDataAction, hasPolicyPermission } from './rbac.js';
import type { CertVersion, Certificate, Store, Vault, WirePolicy } from './state.js';
import { vaultId } from './state.js';
import { TokenError, bearerToken, type TokenService } from './tokens.js';
import { certFacts, keyProps } from './x509info.js';

/** api-versions the certificates/secrets SDKs may send (keyvault-wire.md §1). */
export const KV_API_VERSIONS = new Set([
  '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6-preview.1', '7.6-preview.2', '7.6', '2025-06-01', '2025-07-01',
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

function certNotFound(name: string): HttpError {
  return azError(
    404,
    'CertificateNotFound',
    `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

function badParameter(message: string): HttpError {
  return azError(400, 'BadParameter', message);
}

const MSG = {
  notBase64:
    'The specified Base64-encoded PKCS#12 X.509 certificate content can not be read. Please check if certificate is valid, and is correctly Base64 encoded.',
  notPkcs12:
    'The specified PKCS#12 X.509 certificate content can not be read. Please check if certificate is in valid PKCS#12 format.',
  noKey:
    'No certificate with private key found in the specified X.509 certificate content. Please specify X.509 certificate content with only one certificate containing private key.',
  pemNoKey:
    'Private key is not specified in the specified X.509 PEM certificate content. Please specify private key in the X.509 PEM certificate content.',
  pemFormat:
    'The specified PEM X.509 certificate content is in an unexpected format. Please check if certificate is in valid PEM format.',
  expired: 'X509 Certificate is already expired',
  unsupportedKey: 'The specified X.509 certificate content is invalid. Error: One or more X.509 properties are invalid.',
};

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
    // 2. api-version
    const apiVersion = ctx.query.get('api-version');
    if (!apiVersion) {
      throw badParameter('The api-version query parameter is missing.');
    }
    if (!KV_API_VERSIONS.has(apiVersion)) {
      throw badParameter(`The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${KV_LATEST}).`);
    }
    // 3. Route
    const segs = ctx.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
    const [collection, name, third, fourth] = segs;
    const m = ctx.method;
    if (collection === 'certificates' && name !== undefined && segs.length <= 3) {
      if (name === '') throw azError(405, 'MethodNotAllowed', `HTTP ${m} not allowed`);
      if (m === 'POST' && third === 'import' && segs.length === 3) return this.importCertificate(ctx, vault, caller, name);
      if (m === 'GET' && (third === undefined || third === '' || /^[0-9a-f]{32}$/i.test(third))) {
        return this.getCertificate(ctx, vault, caller, name, third || undefined);
      }
    }
    if (collection === 'secrets' && name && segs.length <= 3 && m === 'GET' && fourth === undefined) {
      if (third !== 'versions') return this.getSecret(ctx, vault, caller, name, third || undefined);
    }
    throw notImplemented(m, ctx.pathname);
  }

  private async authenticate(ctx: Ctx, vault: Vault): Promise<Caller> {
    const header = ctx.req.headers.authorization;
    const challengeHeaders = { 'www-authenticate': this.challenge(), ...kvHeaders(vault) };
    if (!header) {
      ctx.req.resume();
      throw azError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', undefined, challengeHeaders);
    }
    const token = bearerToken(header);
    if (!token) {
      ctx.req.resume();
      throw azError(401, 'Unauthorized', 'AKV10001: Unsupported authorization scheme. Bearer or PoP expected.', undefined, challengeHeaders);
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
  private authorize(vault: Vault, caller: Caller, kind: 'certificates' | 'secrets', perm: string, dataAction: string, objectName?: string): void {
    const state = this.d.store.state;
    const callerText = `appid=${caller.appid};oid=${caller.oid};iss=${caller.iss}`;
    if (vault.properties.enableRbacAuthorization) {
      if (hasDataAction(state, caller.oid, vault, dataAction)) return;
      const resource =
        vaultId(vault).replace('/resourceGroups/', '/resourcegroups/').replace('/providers/Microsoft.KeyVault/', '/providers/microsoft.keyvault/') +
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

  private defaultPolicy(parsed: ParsedCertificate, leafDer: Buffer, contentType: string, requested: Record<string, unknown> | undefined, now: number): WirePolicy {
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
    if (pwd !== undefined && pwd !== null && typeof pwd !== 'string') throw badParameter('Property pwd has invalid value.');
    if (typeof pwd === 'string' && pwd.length > 200) throw badParameter('The password char length is too long. Maximum length is 200.');
    const policyReq = body.policy && typeof body.policy === 'object' ? (body.policy as Record<string, unknown>) : undefined;
    const secretProps = (policyReq?.secret_props ?? {}) as Record<string, unknown>;
    const contentType = secretProps.contentType === 'application/x-pem-file' ? 'application/x-pem-file' : 'application/x-pkcs12';
    if (secretProps.contentType !== undefined && secretProps.contentType !== 'application/x-pem-file' && secretProps.contentType !== 'application/x-pkcs12') {
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
    const ordered = preserve
      ? parsed.certs
      : [parsed.certs[parsed.leafIndex]!, ...parsed.certs.filter((_, i) => i !== parsed.leafIndex)];
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
      chain: (preserve ? ordered : ordered).map((d) => d.toString('base64')),
      x5t: facts.x5t,
      contentType,
      ...(preserve ? { preserveCertOrder: true } : {}),
      policy,
    };
    if (preserve) {
      // cer must still be the leaf; keep the stored order but remember the leaf first for `cer`.
      version.chain = [leafDer.toString('base64'), ...ordered.filter((d) => !d.equals(leafDer)).map((d) => d.toString('base64'))];
    }
    const certs = this.d.store.vaultCerts(vault.name);
    const cert: Certificate = existing ?? { name, versions: [], policy };
    if (existing) {
      const prevCreated = (existing.policy.attributes as Record<string, unknown> | undefined)?.created;
      cert.policy = { ...policy, attributes: { enabled: true, created: typeof prevCreated === 'number' ? prevCreated : now, updated: now } };
    }
    cert.versions.push(version);
    certs[name.toLowerCase()] = cert;
    this.d.store.save();
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, version), kvHeaders(vault));
  }

  private async getCertificate(ctx: Ctx, vault: Vault, caller: Caller, name: string, version?: string): Promise<void> {
    this.authorizeCert(vault, caller, 'get', name);
    const cert = this.findCert(vault, name);
    if (!cert || cert.deleted) throw certNotFound(name);
    const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : this.latest(cert);
    if (!v) throw certNotFound(name);
    sendJson(ctx, 200, this.bundleJson(this.origin(ctx), vault, cert, v), kvHeaders(vault));
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
    const key = Buffer.from(v.keyPkcs8, 'base64');
    const chain = v.chain.map((c) => Buffer.from(c, 'base64'));
    const value =
      v.contentType === 'application/x-pem-file' ? buildPem(key, chain) : buildPasswordlessPkcs12(key, chain, 0).toString('base64');
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
