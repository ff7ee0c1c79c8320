import { badParameter, certNotFound } from '../errors.js';
import { sendJson } from '../http.js';
import { nowSeconds } from '../ids.js';
import type { WirePolicy } from '../model.js';
import { authorizeCert } from './auth.js';
import { findCert } from './lookup.js';
import { type KvRequest } from './request.js';
import { jsonBody, kvHeaders, policyJson } from './wire.js';

export async function getPolicy(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'get', name);
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted) throw certNotFound(name);
  sendJson(ctx, 200, policyJson(ctx.origin, cert), kvHeaders(vault));
}

/** Validates and normalises a wire policy fragment; throws Key Vault's "Property policy has invalid value". */
export function checkPolicy(p: Record<string, unknown>): void {
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

export function mergePolicy(base: WirePolicy, patch: Record<string, unknown>, now: number): WirePolicy {
  const out: WirePolicy = { ...base };
  for (const k of ['key_props', 'secret_props', 'x509_props', 'issuer'] as const) {
    if (patch[k] && typeof patch[k] === 'object') out[k] = { ...((base[k] as object) ?? {}), ...(patch[k] as object) };
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

export async function updatePolicy(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'update', name);
  const cert = findCert(d, vault, name);
  if (!cert || cert.deleted) throw certNotFound(name);
  const body = await jsonBody(ctx);
  checkPolicy(body);
  cert.policy = mergePolicy(cert.policy, body, nowSeconds());
  d.store.save();
  sendJson(ctx, 200, policyJson(ctx.origin, cert), kvHeaders(vault));
}
