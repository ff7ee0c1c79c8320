import { badParameter } from '../errors.js';
import { type Ctx, parseJsonBody, readBody } from '../http.js';
import type { Certificate, CertVersion, Vault, WirePolicy } from '../model.js';

export function kvHeaders(vault: Vault): Record<string, string> {
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

export function latest(cert: Certificate): CertVersion | undefined {
  return cert.versions[cert.versions.length - 1];
}

export function policyJson(
  origin: string,
  cert: Certificate,
  policy: WirePolicy = cert.policy,
): Record<string, unknown> {
  return { id: `${origin}/certificates/${cert.name}/policy`, ...policy };
}

export function attributesJson(vault: Vault, v: CertVersion): Record<string, unknown> {
  return {
    enabled: v.enabled,
    nbf: v.nbf,
    exp: v.exp,
    created: v.created,
    updated: v.updated,
    ...recoveryOf(vault),
  };
}

export function bundleJson(origin: string, vault: Vault, cert: Certificate, v: CertVersion): Record<string, unknown> {
  const leaf = v.chain[0]!;
  const body: Record<string, unknown> = {
    id: `${origin}/certificates/${cert.name}/${v.version}`,
    kid: `${origin}/keys/${cert.name}/${v.version}`,
    sid: `${origin}/secrets/${cert.name}/${v.version}`,
    x5t: v.x5t,
    cer: leaf,
    attributes: attributesJson(vault, v),
    policy: policyJson(origin, cert),
  };
  if (v.tags && Object.keys(v.tags).length > 0) body.tags = v.tags;
  if (v.preserveCertOrder) body.preserveCertOrder = true;
  return body;
}

export function itemJson(
  origin: string,
  vault: Vault,
  cert: Certificate,
  v: CertVersion,
  withVersion: boolean,
): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: `${origin}/certificates/${cert.name}${withVersion ? `/${v.version}` : ''}`,
    x5t: v.x5t,
    attributes: attributesJson(vault, v),
    subject: '',
  };
  if (v.tags && Object.keys(v.tags).length) item.tags = v.tags;
  return item;
}

/**
 * A certificate that has no issued version yet (its create is pending, or its pending operation was deleted): Key
 * Vault answers with that version, disabled, without `cer`/`x5t`, and a `pending` link while an operation exists.
 */
export function unissuedOf(
  cert: Certificate,
): { version: string; created: number; updated: number; tags?: Record<string, string>; pending: boolean } | undefined {
  if (cert.versions.length > 0) return undefined;
  const p = cert.pending;
  if (p)
    return { version: p.version, created: p.created, updated: p.updated ?? p.created, tags: p.tags, pending: true };
  const u = cert.unissued;
  return u ? { version: u.version, created: u.created, updated: u.updated, tags: u.tags, pending: false } : undefined;
}

export function unissuedBundleJson(
  origin: string,
  vault: Vault,
  cert: Certificate,
  view: { version: string; created: number; updated: number; tags?: Record<string, string>; pending: boolean },
): Record<string, unknown> {
  const policy: WirePolicy = cert.pending?.policy ?? cert.policy;
  return {
    id: `${origin}/certificates/${cert.name}/${view.version}`,
    kid: `${origin}/keys/${cert.name}/${view.version}`,
    sid: `${origin}/secrets/${cert.name}/${view.version}`,
    attributes: { enabled: false, created: view.created, updated: view.updated, ...recoveryOf(vault) },
    policy: policyJson(origin, cert, policy),
    ...(view.tags && Object.keys(view.tags).length ? { tags: view.tags } : {}),
    ...(view.pending ? { pending: { id: `${origin}/certificates/${cert.name}/pending` } } : {}),
  };
}

/** The certificate's current bundle: its latest version, or the unissued one. */
export function currentBundleJson(origin: string, vault: Vault, cert: Certificate): Record<string, unknown> {
  const v = latest(cert);
  if (v) return bundleJson(origin, vault, cert, v);
  const u = unissuedOf(cert);
  if (!u) throw new Error(`certificate ${cert.name} has neither a version nor a pending one`);
  return unissuedBundleJson(origin, vault, cert, u);
}

export function deletedJson(origin: string, vault: Vault, cert: Certificate, item: boolean): Record<string, unknown> {
  const v = latest(cert);
  const u = unissuedOf(cert);
  const base = v
    ? item
      ? itemJson(origin, vault, cert, v, false)
      : bundleJson(origin, vault, cert, v)
    : item
      ? {
          id: `${origin}/certificates/${cert.name}`,
          attributes: { enabled: false, created: u?.created, updated: u?.updated, ...recoveryOf(vault) },
          ...(u?.tags && Object.keys(u.tags).length ? { tags: u.tags } : {}),
        }
      : currentBundleJson(origin, vault, cert);
  return {
    recoveryId: `${origin}/deletedcertificates/${cert.name}`,
    deletedDate: cert.deleted!.deletedDate,
    scheduledPurgeDate: cert.deleted!.scheduledPurgeDate,
    ...base,
  };
}

export function operationJson(origin: string, cert: Certificate): Record<string, unknown> {
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

/** `maxresults` 1..25 and an opaque `$skiptoken`; nextLink on the caller's own origin. */
export function pageOf<T>(ctx: Ctx, items: T[], path: string): { value: T[]; nextLink: string | null } {
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
    const extra = ctx.query.get('includePending') !== null ? `&includePending=${ctx.query.get('includePending')}` : '';
    nextLink = `${ctx.origin}${path}?api-version=${ctx.query.get('api-version')}&$skiptoken=${token}&maxresults=${max}${extra}`;
  }
  return { value, nextLink };
}

export async function jsonBody(ctx: Ctx): Promise<Record<string, unknown>> {
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
