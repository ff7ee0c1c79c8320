import { createPrivateKey } from 'node:crypto';
import { badParameter, certNotFound, MSG } from '../errors.js';
import { parseJsonBody, readBody, sendJson } from '../http.js';
import { newVersion, nowSeconds } from '../ids.js';
import { decodeBase64Strict, type ParsedCertificate, ParseError, parsePem, parsePkcs12 } from '../pkcs12.js';
import type { Certificate, CertVersion, WirePolicy } from '../model.js';
import { certFacts, keyProps } from '../x509info.js';
import { authorizeCert } from './auth.js';
import { certObject, findCert, liveCert, rejectIfDeleted } from './lookup.js';
import { checkPolicy, mergePolicy } from './policy.js';
import { type KvRequest, NAME_RE } from './request.js';
import {
  bundleJson,
  itemJson,
  jsonBody,
  kvHeaders,
  latest,
  pageOf,
  recoveryOf,
  unissuedBundleJson,
  unissuedOf,
} from './wire.js';

export function defaultPolicy(
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

export async function importCertificate(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
  authorizeCert(d, vault, caller, 'import', name);
  const existing = findCert(d, vault, name);
  rejectIfDeleted(existing, name);
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
  const policy = defaultPolicy(parsed, leafDer, contentType, policyReq, now);
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
  const certs = d.store.vaultCerts(vault.name);
  // Look again: another request may have changed this name while the body was read.
  const current = findCert(d, vault, name);
  rejectIfDeleted(current, name);
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
  d.store.save();
  sendJson(ctx, 200, bundleJson(ctx.origin, vault, cert, version), kvHeaders(vault));
}

export async function getCertificate(r: KvRequest, name: string, version?: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'get', name);
  const found = findCert(d, vault, name);
  const p = found?.pending;
  if (found && !found.deleted) {
    // A certificate whose first version is not issued yet (pending, or its operation deleted): Key Vault answers with
    // that version, disabled, without cer/x5t; the SDK's operation poller starts with this GET.
    const u = unissuedOf(found);
    if (u && (!version || version.toLowerCase() === u.version)) {
      sendJson(ctx, 200, unissuedBundleJson(ctx.origin, vault, found, u), kvHeaders(vault));
      return;
    }
    // The pending version of a certificate that already has versions (a renewal in progress).
    if (p && p.status !== 'completed' && version?.toLowerCase() === p.version) {
      const view = {
        version: p.version,
        created: p.created,
        updated: p.updated ?? p.created,
        tags: p.tags,
        pending: true,
      };
      sendJson(ctx, 200, unissuedBundleJson(ctx.origin, vault, found, view), kvHeaders(vault));
      return;
    }
  }
  const cert = liveCert(d, vault, name);
  const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : latest(cert);
  if (!v) throw certNotFound(name);
  sendJson(ctx, 200, bundleJson(ctx.origin, vault, cert, v), kvHeaders(vault));
}

export async function listCertificates(r: KvRequest): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'list');
  const includePending = ctx.query.get('includePending') === 'true';
  const origin = ctx.origin;
  const certs = Object.values(d.store.vaultCerts(vault.name))
    .filter((c) => !c.deleted && (c.versions.length > 0 || (includePending && unissuedOf(c))))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  const items = certs.map((c) => {
    const v = latest(c);
    if (v) return itemJson(origin, vault, c, v, false);
    const u = unissuedOf(c)!;
    return {
      id: `${origin}/certificates/${c.name}`,
      attributes: { enabled: false, created: u.created, updated: u.updated, ...recoveryOf(vault) },
      ...(u.tags && Object.keys(u.tags).length ? { tags: u.tags } : {}),
      subject: '',
    };
  });
  sendJson(ctx, 200, pageOf(ctx, items, '/certificates'), kvHeaders(vault));
}

export async function listVersions(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'list', name);
  const origin = ctx.origin;
  const cert = findCert(d, vault, name);
  const items = cert && !cert.deleted ? cert.versions.map((v) => itemJson(origin, vault, cert, v, true)) : [];
  sendJson(ctx, 200, pageOf(ctx, items, `/certificates/${encodeURIComponent(name)}/versions`), kvHeaders(vault));
}

export async function updateCertificate(r: KvRequest, name: string, version?: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'update', name);
  const cert = certObject(d, vault, name);
  const u = unissuedOf(cert);
  // A certificate still pending (or never issued) is updated too: its tags and attributes carry over to the version
  // that is issued, and the answer is the pending certificate.
  const v = u ? undefined : version ? cert.versions.find((x) => x.version === version.toLowerCase()) : latest(cert);
  if (u ? version !== undefined && version.toLowerCase() !== u.version : !v) throw certNotFound(name);
  const body = await jsonBody(ctx);
  const attrs = (body.attributes ?? {}) as Record<string, unknown>;
  if (attrs.enabled !== undefined && typeof attrs.enabled !== 'boolean')
    throw badParameter('Property attributes.enabled has invalid value.');
  if (body.tags !== undefined && (body.tags === null || typeof body.tags !== 'object'))
    throw badParameter('Property tags has invalid value.');
  if (body.policy && typeof body.policy === 'object') checkPolicy(body.policy as Record<string, unknown>);
  const now = nowSeconds();
  const tags = body.tags as Record<string, string> | undefined;
  const enabled = typeof attrs.enabled === 'boolean' ? attrs.enabled : undefined;
  if (body.policy && typeof body.policy === 'object') {
    cert.policy = mergePolicy(cert.policy, body.policy as Record<string, unknown>, now);
    if (cert.pending && u) cert.pending.policy = cert.policy;
  }
  if (v) {
    if (enabled !== undefined) v.enabled = enabled;
    if (tags !== undefined) v.tags = tags;
    v.updated = now;
  } else if (cert.pending) {
    const p = cert.pending;
    if (enabled !== undefined) p.createAttributes = { ...p.createAttributes, enabled };
    if (tags !== undefined) p.tags = tags;
    p.updated = now;
  } else if (cert.unissued) {
    if (enabled !== undefined) cert.unissued.enabled = enabled;
    if (tags !== undefined) cert.unissued.tags = tags;
    cert.unissued.updated = now;
  }
  d.store.save();
  sendJson(
    ctx,
    200,
    v ? bundleJson(ctx.origin, vault, cert, v) : unissuedBundleJson(ctx.origin, vault, cert, unissuedOf(cert)!),
    kvHeaders(vault),
  );
}
