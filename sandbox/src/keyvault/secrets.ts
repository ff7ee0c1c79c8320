import { azError } from '../errors.js';
import { sendJson } from '../http.js';
import { buildPasswordlessPkcs12, buildPem } from '../pkcs12.js';
import { type Certificate, type CertVersion } from '../state.js';
import { authorize } from './auth.js';
import { findCert } from './lookup.js';
import { type KvRequest } from './request.js';
import { attributesJson, kvHeaders, latest, pageOf } from './wire.js';

/** Secrets list / versions: the managed secrets behind the certificates (no values). */
export async function listSecrets(r: KvRequest, name?: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorize(d, vault, caller, 'secrets', 'list', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action', name);
  const origin = ctx.origin;
  const item = (c: Certificate, v: CertVersion, withVersion: boolean) => ({
    id: `${origin}/secrets/${c.name}${withVersion ? `/${v.version}` : ''}`,
    attributes: attributesJson(vault, v),
    contentType: v.contentType,
    managed: true,
    ...(v.tags && Object.keys(v.tags).length ? { tags: v.tags } : {}),
  });
  const certs = Object.values(d.store.vaultCerts(vault.name)).filter((c) => !c.deleted && c.versions.length > 0);
  const items = name
    ? (certs.find((c) => c.name.toLowerCase() === name.toLowerCase())?.versions ?? []).map((v) =>
        item(findCert(d, vault, name)!, v, true),
      )
    : certs
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
        .map((c) => item(c, latest(c)!, false));
  sendJson(
    ctx,
    200,
    pageOf(ctx, items, name ? `/secrets/${encodeURIComponent(name)}/versions` : '/secrets'),
    kvHeaders(vault),
  );
}

export async function getSecret(r: KvRequest, name: string, version?: string): Promise<void> {
  const { d, ctx, vault, caller } = r;
  authorize(d, vault, caller, 'secrets', 'get', 'Microsoft.KeyVault/vaults/secrets/getSecret/action', name);
  const cert = findCert(d, vault, name);
  const notFound = azError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
  if (!cert || cert.deleted) throw notFound;
  const v = version ? cert.versions.find((x) => x.version === version.toLowerCase()) : latest(cert);
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
  const origin = ctx.origin;
  sendJson(
    ctx,
    200,
    {
      value,
      contentType: v.contentType,
      id: `${origin}/secrets/${cert.name}/${v.version}`,
      managed: true,
      attributes: attributesJson(vault, v),
      ...(v.tags && Object.keys(v.tags).length ? { tags: v.tags } : {}),
      kid: `${origin}/keys/${cert.name}/${v.version}`,
    },
    kvHeaders(vault),
  );
}
