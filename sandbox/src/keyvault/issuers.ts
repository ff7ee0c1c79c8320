import { badParameter, issuerNotFound } from '../errors.js';
import { sendJson } from '../http.js';
import { nowSeconds } from '../ids.js';
import type { CertificateIssuer, IssuerAdministrator, Vault } from '../model.js';
import { authorizeCertAdmin } from './auth.js';
import { type KeyVaultDeps, type KvRequest } from './request.js';
import { jsonBody, kvHeaders, pageOf } from './wire.js';

// Certificate issuers (`/certificates/issuers[/{name}]`): named objects that a certificate policy's `issuer.name`
// refers to. Shapes and behaviour as recorded against Key Vault by azure-sdk-for-js's CRUD live test ("can create,
// read, and delete a certificate issuer") and the REST spec's examples: set (PUT) answers the bundle with
// `attributes {enabled, created, updated}`; the credential's password is never answered (nor kept here); org_details
// come back with a `zip: 0` the SDKs do not model; update (PATCH) merges; delete answers the deleted bundle; a
// missing issuer is 404 `CertificateIssuerNotFound` "Issuer not found".

export function findIssuer(d: KeyVaultDeps, vault: Vault, name: string): CertificateIssuer | undefined {
  return d.store.vaultIssuers(vault.name)[name.toLowerCase()];
}

function issuerOr404(r: KvRequest, name: string): CertificateIssuer {
  const issuer = findIssuer(r.d, r.vault, name);
  if (!issuer) throw issuerNotFound();
  return issuer;
}

export function issuerJson(origin: string, i: CertificateIssuer): Record<string, unknown> {
  const body: Record<string, unknown> = { id: `${origin}/certificates/issuers/${i.name}`, provider: i.provider };
  if (i.accountId !== undefined) body.credentials = { account_id: i.accountId };
  if (i.orgDetails)
    body.org_details = {
      ...(i.orgDetails.id !== undefined ? { id: i.orgDetails.id } : {}),
      zip: 0,
      ...(i.orgDetails.adminDetails ? { admin_details: i.orgDetails.adminDetails } : {}),
    };
  body.attributes = { enabled: i.enabled, created: i.created, updated: i.updated };
  return body;
}

const invalid = (property: string) => badParameter(`Property ${property} has invalid value.`); // text UNVERIFIED

function optionalString(o: Record<string, unknown>, key: string, property: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(property);
  return v;
}

function objectOf(v: unknown, property: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid(property);
  return v as Record<string, unknown>;
}

/** The parts of a set/update body Key Vault keeps, checked; absent parts are undefined. */
function issuerFields(body: Record<string, unknown>) {
  const provider = optionalString(body, 'provider', 'provider');
  const credentials = objectOf(body.credentials, 'credentials');
  // `pwd` is accepted and dropped: Key Vault never answers it, and no CA is ever called with it here.
  const accountId = credentials ? optionalString(credentials, 'account_id', 'credentials.account_id') : undefined;
  const org = objectOf(body.org_details, 'org_details');
  let orgDetails: CertificateIssuer['orgDetails'];
  if (org) {
    const id = optionalString(org, 'id', 'org_details.id');
    let adminDetails: IssuerAdministrator[] | undefined;
    if (org.admin_details !== undefined && org.admin_details !== null) {
      if (!Array.isArray(org.admin_details)) throw invalid('org_details.admin_details');
      adminDetails = org.admin_details.map((a: unknown) => {
        const admin = objectOf(a, 'org_details.admin_details') ?? {};
        const out: IssuerAdministrator = {};
        for (const k of ['first_name', 'last_name', 'email', 'phone'] as const) {
          const v = optionalString(admin, k, `org_details.admin_details.${k}`);
          if (v !== undefined) out[k] = v;
        }
        return out;
      });
    }
    orgDetails = { ...(id !== undefined ? { id } : {}), ...(adminDetails ? { adminDetails } : {}) };
  }
  const attributes = objectOf(body.attributes, 'attributes');
  const enabled = attributes?.enabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') throw invalid('attributes.enabled');
  return { provider, accountId, orgDetails, enabled: typeof enabled === 'boolean' ? enabled : undefined };
}

/**
 * DigiCert needs the organization's id: Key Vault's 400 "Id in organization details is not set" (reported against
 * Azure in azure-sdk-for-java#29166). Other providers (GlobalSign, the SDKs' "Test") are taken as they come.
 */
function checkProvider(i: CertificateIssuer): void {
  if (!i.provider) throw badParameter('Property provider is required.'); // text UNVERIFIED
  if (i.provider.toLowerCase() === 'digicert' && !i.orgDetails?.id)
    throw badParameter('Id in organization details is not set');
}

/** PUT: creates the issuer or replaces it (its `created` stays). */
export async function setIssuer(r: KvRequest, name: string): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'setIssuer');
  const f = issuerFields(await jsonBody(r.ctx));
  const now = nowSeconds();
  const existing = findIssuer(r.d, r.vault, name);
  const issuer: CertificateIssuer = {
    name: existing?.name ?? name,
    provider: f.provider ?? '',
    ...(f.accountId !== undefined ? { accountId: f.accountId } : {}),
    ...(f.orgDetails ? { orgDetails: f.orgDetails } : {}),
    enabled: f.enabled ?? true,
    created: existing?.created ?? now,
    updated: now,
  };
  checkProvider(issuer);
  r.d.store.vaultIssuers(r.vault.name)[name.toLowerCase()] = issuer;
  r.d.store.save();
  sendJson(r.ctx, 200, issuerJson(r.ctx.origin, issuer), kvHeaders(r.vault));
}

/** PATCH: what is sent replaces that part; the rest stays (UpdateCertificateIssuer-example.json keeps org_details). */
export async function updateIssuer(r: KvRequest, name: string): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'setIssuer');
  const body = await jsonBody(r.ctx);
  const issuer = issuerOr404(r, name);
  const f = issuerFields(body);
  const next: CertificateIssuer = {
    ...issuer,
    ...(f.provider !== undefined ? { provider: f.provider } : {}),
    ...(f.accountId !== undefined ? { accountId: f.accountId } : {}),
    ...(f.orgDetails
      ? {
          orgDetails: {
            ...issuer.orgDetails,
            ...(f.orgDetails.id !== undefined ? { id: f.orgDetails.id } : {}),
            ...(f.orgDetails.adminDetails ? { adminDetails: f.orgDetails.adminDetails } : {}),
          },
        }
      : {}),
    ...(f.enabled !== undefined ? { enabled: f.enabled } : {}),
    updated: nowSeconds(),
  };
  checkProvider(next);
  r.d.store.vaultIssuers(r.vault.name)[name.toLowerCase()] = next;
  r.d.store.save();
  sendJson(r.ctx, 200, issuerJson(r.ctx.origin, next), kvHeaders(r.vault));
}

export async function getIssuer(r: KvRequest, name: string): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'getIssuer');
  sendJson(r.ctx, 200, issuerJson(r.ctx.origin, issuerOr404(r, name)), kvHeaders(r.vault));
}

/** Permanent: issuers have no soft delete. Answers the deleted bundle (DeleteCertificateIssuer-example.json). */
export async function deleteIssuer(r: KvRequest, name: string): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'deleteIssuer');
  const issuer = issuerOr404(r, name);
  delete r.d.store.vaultIssuers(r.vault.name)[name.toLowerCase()];
  r.d.store.save();
  sendJson(r.ctx, 200, issuerJson(r.ctx.origin, issuer), kvHeaders(r.vault));
}

/** Items are `{ id, provider }` (GetCertificateIssuers-example.json), by name, paged like every Key Vault list. */
export async function listIssuers(r: KvRequest): Promise<void> {
  authorizeCertAdmin(r.d, r.vault, r.caller, 'listIssuers');
  const origin = r.ctx.origin;
  const items = Object.values(r.d.store.vaultIssuers(r.vault.name))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
    .map((i) => ({ id: `${origin}/certificates/issuers/${i.name}`, provider: i.provider }));
  sendJson(r.ctx, 200, pageOf(r.ctx, items, '/certificates/issuers'), kvHeaders(r.vault));
}
