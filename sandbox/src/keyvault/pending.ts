import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { azError, badParameter, issuerNotFound, MSG } from '../errors.js';
import { sendJson } from '../http.js';
import { newVersion, nowSeconds } from '../ids.js';
import { decodeBase64Strict } from '../pkcs12.js';
import { certificationRequest, generateKey, pkcs8Der, selfSignedCertificate, SubjectError } from '../selfsign.js';
import type { Certificate, CertVersion, WirePolicy } from '../model.js';
import { certFacts } from '../x509info.js';
import { authorizeCert } from './auth.js';
import { findCert, pendingOr404, rejectIfDeleted } from './lookup.js';
import { advanceDeleted, createDelayMs } from './lifecycle.js';
import { findIssuer } from './issuers.js';
import { checkPolicy } from './policy.js';
import { type KvRequest } from './request.js';
import { bundleJson, jsonBody, kvHeaders, operationJson } from './wire.js';

export async function createCertificate(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'create', name);
  const existing = findCert(d, vault, name);
  rejectIfDeleted(existing, name);
  if (existing?.pending?.status === 'inProgress') {
    throw azError(
      409,
      'Conflict',
      `There is a pending operation for certificate ${name}. Cancel or delete the pending operation before creating a new one.`,
      'PendingOperationExists',
    );
  }
  const body = await jsonBody(ctx);
  const reqPolicy = (body.policy ?? {}) as Record<string, unknown>;
  if (typeof reqPolicy !== 'object') throw badParameter('Property policy has invalid value\r\n');
  checkPolicy(reqPolicy);
  const now = nowSeconds();
  const kp = (reqPolicy.key_props ?? {}) as Record<string, any>;
  const xp = (reqPolicy.x509_props ?? {}) as Record<string, any>;
  const issuerName = String(((reqPolicy.issuer ?? {}) as Record<string, unknown>).name ?? '');
  if (!issuerName) throw badParameter('Property policy.issuer.name is required.');
  // Any other name is an issuer object of the vault (issuers.ts). One that does not exist is refused with Key Vault's
  // issuer lookup error (404 CertificateIssuerNotFound "Issuer not found"; that create answers it is UNVERIFIED).
  if (issuerName !== 'Self' && issuerName !== 'Unknown' && !findIssuer(d, vault, issuerName)) throw issuerNotFound();
  const sans = (xp.sans ?? {}) as Record<string, string[] | undefined>;
  // Every kind of subject alternative name counts, IP addresses and URIs included.
  const hasSans = ['dns_names', 'emails', 'upns', 'ipAddresses', 'uris'].some((k) => (sans[k]?.length ?? 0) > 0);
  checkSans(sans);
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
  const current = findCert(d, vault, name); // again: the body was read asynchronously
  rejectIfDeleted(current, name);
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
    // A named issuer's request goes to its CA, which the sandbox never reaches: it stays in progress (recorded text).
    statusDetails:
      issuerName === 'Unknown'
        ? 'Pending certificate created. Please Perform Merge to complete the request.'
        : 'Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.',
    cancellationRequested: false,
    csr: csr.toString('base64'),
    keyPkcs8: pkcs8Der(key).toString('base64'),
    issuerName,
    readyAt: Date.now() + createDelayMs(),
    createAttributes: typeof attrs.enabled === 'boolean' ? { enabled: attrs.enabled } : {},
    ...(body.tags && typeof body.tags === 'object' ? { tags: body.tags as Record<string, string> } : {}),
    policy,
  };
  d.store.vaultCerts(vault.name)[name.toLowerCase()] = cert;
  d.store.save();
  const origin = ctx.origin;
  sendJson(ctx, 202, operationJson(origin, cert), {
    ...kvHeaders(vault),
    location: `${origin}/certificates/${cert.name}/pending?api-version=${ctx.query.get('api-version')}&request_id=${cert.pending.requestId}`,
    'retry-after': '10',
  });
}

/**
 * Key Vault works in the background: every self-signed operation whose time has come (`SANDBOX_CREATE_DELAY_MS`
 * after the create) is completed, and every soft delete or recovery whose time has come is finished, before any
 * request to its vault is answered, whether or not anyone polls (lifecycle.ts).
 */
export function runDueWork(r: Pick<KvRequest, 'd' | 'vault'>): void {
  let changed = false;
  for (const cert of Object.values(r.d.store.vaultCerts(r.vault.name))) {
    if (advanceDeleted(cert)) changed = true;
    if (advance(cert)) changed = true;
  }
  for (const secret of Object.values(r.d.store.vaultSecrets(r.vault.name))) if (advanceDeleted(secret)) changed = true;
  if (changed) r.d.store.save();
}

/**
 * Before the pending operation of a never-issued certificate goes away (deleted, or the certificate deleted), the
 * certificate object it created is kept as it is: disabled, with no `cer`, readable.
 */
export function settleUnissued(cert: Certificate): void {
  const p = cert.pending;
  if (!p || cert.versions.length > 0) return;
  cert.unissued = {
    version: p.version,
    created: p.created,
    updated: p.updated ?? p.created,
    ...(p.tags ? { tags: p.tags } : {}),
    ...(p.createAttributes?.enabled !== undefined ? { enabled: p.createAttributes.enabled } : {}),
  };
}

export function advance(cert: Certificate): boolean {
  const p = cert.pending;
  if (!p || p.status !== 'inProgress' || p.issuerName !== 'Self' || Date.now() < p.readyAt || cert.deleted)
    return false;
  const key = createPrivateKey({ key: Buffer.from(p.keyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const xp = (p.policy.x509_props ?? {}) as Record<string, any>;
  const sans = (xp.sans ?? {}) as Record<string, string[] | undefined>;
  const der = selfSignedCertificate(key, {
    subject: xp.subject || `CN=${sans.dns_names?.[0] ?? cert.name}`,
    dnsNames: sans.dns_names,
    emails: sans.emails,
    ipAddresses: sans.ipAddresses,
    uris: sans.uris,
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
  delete cert.unissued;
  return true;
}

/** IP addresses must be IPv4 or IPv6 literals and URIs absolute, or Key Vault refuses the policy (text UNVERIFIED). */
function checkSans(sans: Record<string, string[] | undefined>): void {
  for (const [k, list] of Object.entries(sans)) {
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== 'string')))
      throw badParameter(`Property x509_props.sans.${k} has invalid value.`);
  }
  for (const ip of sans.ipAddresses ?? [])
    if (isIP(ip) === 0) throw badParameter(`Property x509_props.sans.ipAddresses has invalid value: ${ip}.`);
  for (const uri of sans.uris ?? [])
    if (!URL.canParse(uri)) throw badParameter(`Property x509_props.sans.uris has invalid value: ${uri}.`);
}

export async function getPending(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'get', name);
  const cert = pendingOr404(d, vault, name);
  if (advance(cert)) d.store.save();
  sendJson(ctx, 200, operationJson(ctx.origin, cert), kvHeaders(vault));
}

export async function cancelPending(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'update', name);
  const cert = pendingOr404(d, vault, name);
  const body = await jsonBody(ctx);
  if (body.cancellation_requested !== true) throw badParameter('Property cancellation_requested has invalid value.');
  const p = cert.pending!;
  // Key Vault refuses to cancel what is no longer in progress (seen against Azure in azure-sdk-for-js#25758).
  if (p.status !== 'inProgress') throw azError(403, 'Forbidden', 'Pending status must be in progress to allow update.');
  p.cancellationRequested = true;
  p.status = 'cancelled';
  p.statusDetails = 'Operation cancelled by the user.';
  d.store.save();
  sendJson(ctx, 200, operationJson(ctx.origin, cert), kvHeaders(vault));
}

export async function deletePending(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'delete', name);
  const cert = pendingOr404(d, vault, name);
  const body = operationJson(ctx.origin, cert);
  // The certificate stays: a never-issued one remains readable (disabled, no cer), as in Key Vault.
  settleUnissued(cert);
  delete cert.pending;
  d.store.save();
  sendJson(ctx, 200, body, kvHeaders(vault));
}

/**
 * One `x5c` entry of a merge as DER. On the wire each entry is base64 of bytes; the SDKs put the certificate's base64
 * text in those bytes (their samples pass `Buffer.from(base64Crt)`), which is what Key Vault accepts — with or without
 * PEM armour lines: the SDK's own live test passes the PEM file less its first line, so its text ends with
 * `-----END CERTIFICATE-----` (test/public/mergeAndImport.spec.ts), and Key Vault merges it. DER bytes too.
 */
function x5cEntryDer(entry: string): Buffer {
  const invalid = () =>
    badParameter(
      'The specified X.509 certificate content is invalid. Error: One or more X.509 properties are invalid.',
    );
  const bytes = decodeBase64Strict(entry);
  if (!bytes) throw badParameter(MSG.notBase64);
  const text = bytes
    .toString('latin1')
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '')
    .replace(/\s+/g, '');
  const inner = /^[A-Za-z0-9+/=]+$/.test(text) ? decodeBase64Strict(text) : undefined;
  try {
    return Buffer.from(new X509Certificate(inner ?? bytes).raw);
  } catch {
    throw invalid();
  }
}

/** Completes an `Unknown`-issuer request with the certificate(s) a CA signed for its CSR. */
export async function mergeCertificate(r: KvRequest, name: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorizeCert(d, vault, caller, 'create', name);
  const cert = pendingOr404(d, vault, name);
  const body = await jsonBody(ctx);
  const x5c = body.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.some((c) => typeof c !== 'string'))
    throw badParameter('Property x5c is required.');
  const p = cert.pending!;
  if (p.status !== 'inProgress')
    throw badParameter(`The pending operation of certificate ${name} is ${p.status} and cannot be merged.`);
  // Key Vault's refusal, typo and all ("Monitor and manage certificate creation", create-certificate-scenarios.md).
  if (p.issuerName !== 'Unknown')
    throw azError(
      403,
      'Forbidden',
      `Merge is forbidden on pending object created with issuer : ${p.issuerName} while it is in progess.`,
    );
  const ders = (x5c as string[]).map((c) => x5cEntryDer(c));
  const key = createPrivateKey({ key: Buffer.from(p.keyPkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const leafIndex = ders.findIndex((der) => new X509Certificate(der).checkPrivateKey(key));
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
    chain: [leafDer, ...ders.filter((_, i) => i !== leafIndex)].map((d) => d.toString('base64')),
    x5t: facts.x5t,
    contentType,
    policy: p.policy,
  };
  cert.versions.push(version);
  p.status = 'completed';
  p.statusDetails = '';
  delete cert.unissued;
  d.store.save();
  sendJson(ctx, 201, bundleJson(ctx.origin, vault, cert, version), kvHeaders(vault));
}
