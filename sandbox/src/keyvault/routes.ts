import { azError, badParameter, notImplemented } from '../errors.js';
import { RouteTable, route, type Params, type Route } from '../router.js';
import {
  getCertificate,
  importCertificate,
  listCertificates,
  listVersions,
  updateCertificate,
} from './certificates.js';
import { deleteCertificate, getDeleted, listDeleted, purgeDeleted, recoverDeleted } from './deleted.js';
import { cancelPending, createCertificate, deletePending, getPending, mergeCertificate } from './pending.js';
import { getPolicy, updatePolicy } from './policy.js';
import { NAME_RE, type KvRequest } from './request.js';
import { backupCertificate, backupSecret, restoreCertificate, restoreSecret } from './backup.js';
import { deleteContacts, getContacts, setContacts } from './contacts.js';
import { deleteIssuer, getIssuer, listIssuers, setIssuer, updateIssuer } from './issuers.js';
import {
  deleteSecret,
  getDeletedSecret,
  getSecret,
  listDeletedSecrets,
  listSecretVersions,
  listSecrets,
  purgeDeletedSecret,
  recoverDeletedSecret,
  setSecret,
  updateSecret,
} from './secrets.js';

/** Object versions are 32 hex characters; anything else in that position is not a version. */
const VERSION = ':version(^[0-9a-fA-F]{32}$)';

/**
 * A handler for `…/{name}…`: an empty name is Key Vault's 405 (`/certificates//create`), a name outside
 * `^[0-9a-zA-Z-]{1,127}$` its 400 BadParameter.
 */
function named(handle: (r: KvRequest, name: string, p: Params) => Promise<void>): Route<KvRequest>['handle'] {
  return (r, p) => {
    const name = p.name ?? '';
    if (name === '') throw azError(405, 'MethodNotAllowed', `HTTP ${r.ctx.method} not allowed`);
    if (!NAME_RE.test(name)) throw badParameter(`The request URI contains an invalid name: ${name}`);
    return handle(r, name, p);
  };
}

const notEmulated = (r: KvRequest) => {
  throw notImplemented(r.ctx.method, r.ctx.pathname);
};

const certificates: Route<KvRequest>[] = [
  route('GET', '/certificates', (r) => listCertificates(r)),
  route('GET', '/certificates/', (r) => listCertificates(r)),
  route('POST', '/certificates/restore', (r) => restoreCertificate(r)),
  route(
    'POST',
    '/certificates/:name/backup',
    named((r, n) => backupCertificate(r, n)),
  ),
  // What Key Vault has no operation for on these paths is 501 here, never a certificate named "contacts"/"issuers".
  route('PATCH', '/certificates/contacts', notEmulated),
  ...(['PUT', 'PATCH', 'DELETE'] as const).map((m) => route<KvRequest>(m, '/certificates/issuers', notEmulated)),
  // Latest version: the SDKs send a trailing slash (an empty version). For a certificate named "issuers" that path
  // is under the issuers' static segment, so it is spelled out here (what Key Vault does with it is UNVERIFIED).
  route('GET', '/certificates/issuers/', (r) => getCertificate(r, 'issuers')),
  route('PATCH', '/certificates/issuers/', (r) => updateCertificate(r, 'issuers')),
  route(
    'GET',
    '/certificates/:name',
    named((r, n) => getCertificate(r, n)),
  ),
  route(
    'GET',
    '/certificates/:name/',
    named((r, n) => getCertificate(r, n)),
  ),
  route(
    'GET',
    `/certificates/:name/${VERSION}`,
    named((r, n, p) => getCertificate(r, n, p.version)),
  ),
  route(
    'PATCH',
    '/certificates/:name',
    named((r, n) => updateCertificate(r, n)),
  ),
  route(
    'PATCH',
    '/certificates/:name/',
    named((r, n) => updateCertificate(r, n)),
  ),
  route(
    'PATCH',
    `/certificates/:name/${VERSION}`,
    named((r, n, p) => updateCertificate(r, n, p.version)),
  ),
  route(
    'POST',
    '/certificates/:name/import',
    named((r, n) => importCertificate(r, n)),
  ),
  route(
    'GET',
    '/certificates/:name/versions',
    named((r, n) => listVersions(r, n)),
  ),
];

const contacts: Route<KvRequest>[] = [
  route('GET', '/certificates/contacts', (r) => getContacts(r)),
  route('PUT', '/certificates/contacts', (r) => setContacts(r)),
  route('DELETE', '/certificates/contacts', (r) => deleteContacts(r)),
];

const issuers: Route<KvRequest>[] = [
  route('GET', '/certificates/issuers', (r) => listIssuers(r)),
  route(
    'GET',
    '/certificates/issuers/:name',
    named((r, n) => getIssuer(r, n)),
  ),
  route(
    'PUT',
    '/certificates/issuers/:name',
    named((r, n) => setIssuer(r, n)),
  ),
  route(
    'PATCH',
    '/certificates/issuers/:name',
    named((r, n) => updateIssuer(r, n)),
  ),
  route(
    'DELETE',
    '/certificates/issuers/:name',
    named((r, n) => deleteIssuer(r, n)),
  ),
];

const policy: Route<KvRequest>[] = [
  route(
    'GET',
    '/certificates/:name/policy',
    named((r, n) => getPolicy(r, n)),
  ),
  route(
    'PATCH',
    '/certificates/:name/policy',
    named((r, n) => updatePolicy(r, n)),
  ),
];

const pending: Route<KvRequest>[] = [
  route(
    'POST',
    '/certificates/:name/create',
    named((r, n) => createCertificate(r, n)),
  ),
  route(
    'GET',
    '/certificates/:name/pending',
    named((r, n) => getPending(r, n)),
  ),
  route(
    'PATCH',
    '/certificates/:name/pending',
    named((r, n) => cancelPending(r, n)),
  ),
  route(
    'DELETE',
    '/certificates/:name/pending',
    named((r, n) => deletePending(r, n)),
  ),
  route(
    'POST',
    '/certificates/:name/pending/merge',
    named((r, n) => mergeCertificate(r, n)),
  ),
];

const deleted: Route<KvRequest>[] = [
  route(
    'DELETE',
    '/certificates/:name',
    named((r, n) => deleteCertificate(r, n)),
  ),
  route('GET', '/deletedcertificates', (r) => listDeleted(r)),
  route('GET', '/deletedcertificates/', (r) => listDeleted(r)),
  route(
    'GET',
    '/deletedcertificates/:name',
    named((r, n) => getDeleted(r, n)),
  ),
  route(
    'DELETE',
    '/deletedcertificates/:name',
    named((r, n) => purgeDeleted(r, n)),
  ),
  route(
    'POST',
    '/deletedcertificates/:name/recover',
    named((r, n) => recoverDeleted(r, n)),
  ),
];

const secrets: Route<KvRequest>[] = [
  route('GET', '/secrets', (r) => listSecrets(r)),
  route('GET', '/secrets/', (r) => listSecrets(r)),
  route('POST', '/secrets/restore', (r) => restoreSecret(r)),
  route(
    'PUT',
    '/secrets/:name',
    named((r, n) => setSecret(r, n)),
  ),
  route(
    'GET',
    '/secrets/:name',
    named((r, n) => getSecret(r, n)),
  ),
  route(
    'GET',
    '/secrets/:name/',
    named((r, n) => getSecret(r, n)),
  ),
  route(
    'GET',
    `/secrets/:name/${VERSION}`,
    named((r, n, p) => getSecret(r, n, p.version)),
  ),
  route(
    'PATCH',
    '/secrets/:name',
    named((r, n) => updateSecret(r, n)),
  ),
  route(
    'PATCH',
    '/secrets/:name/',
    named((r, n) => updateSecret(r, n)),
  ),
  route(
    'PATCH',
    `/secrets/:name/${VERSION}`,
    named((r, n, p) => updateSecret(r, n, p.version)),
  ),
  route(
    'DELETE',
    '/secrets/:name',
    named((r, n) => deleteSecret(r, n)),
  ),
  route(
    'GET',
    '/secrets/:name/versions',
    named((r, n) => listSecretVersions(r, n)),
  ),
  route(
    'POST',
    '/secrets/:name/backup',
    named((r, n) => backupSecret(r, n)),
  ),
  route('GET', '/deletedsecrets', (r) => listDeletedSecrets(r)),
  route('GET', '/deletedsecrets/', (r) => listDeletedSecrets(r)),
  route(
    'GET',
    '/deletedsecrets/:name',
    named((r, n) => getDeletedSecret(r, n)),
  ),
  route(
    'DELETE',
    '/deletedsecrets/:name',
    named((r, n) => purgeDeletedSecret(r, n)),
  ),
  route(
    'POST',
    '/deletedsecrets/:name/recover',
    named((r, n) => recoverDeletedSecret(r, n)),
  ),
];

/** Every Key Vault data-plane operation the sandbox answers; anything else is a 501. */
export const keyVaultRoutes = new RouteTable<KvRequest>()
  .add(certificates)
  .add(contacts)
  .add(issuers)
  .add(policy)
  .add(pending)
  .add(deleted)
  .add(secrets);
