import { compactVerify, decodeProtectedHeader, importX509 } from 'jose';
import { aadError } from '../errors.js';
import { APP_CLIENT_ID, APP_CLIENT_SECRET, TENANT_ID, TENANT_NAME } from '../ids.js';
import { CLIENT_ASSERTION_TYPE, type IdentityEnv } from './env.js';

/** Client authentication for the confidential app: client secret, or a client assertion signed with its certificate. */
export async function authenticateApp(
  d: IdentityEnv,
  form: URLSearchParams,
  basic?: { id: string; secret: string },
): Promise<void> {
  const clientId = basic?.id ?? form.get('client_id') ?? '';
  const secret = basic?.secret ?? form.get('client_secret');
  const assertionType = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  if (clientId !== APP_CLIENT_ID) {
    throw aadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${TENANT_NAME}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (secret != null) {
    if (secret !== APP_CLIENT_SECRET) {
      throw aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${APP_CLIENT_ID}'.`,
      );
    }
    return;
  }
  if (assertionType || assertion) {
    if (assertionType !== CLIENT_ASSERTION_TYPE) {
      throw aadError(
        400,
        'invalid_request',
        50027,
        `Invalid client_assertion_type '${assertionType}'. Expected '${CLIENT_ASSERTION_TYPE}'.`,
      );
    }
    await verifyClientAssertion(d, assertion ?? '', clientId);
    return;
  }
  throw aadError(
    401,
    'invalid_client',
    7000218,
    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  );
}

export async function verifyClientAssertion(d: IdentityEnv, assertion: string, clientId: string): Promise<void> {
  const cert = d.appCertificate;
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
  } catch {
    throw aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
  }
  const alg = String(header.alg ?? '');
  if (alg !== 'RS256' && alg !== 'PS256')
    throw aadError(
      401,
      'invalid_client',
      5002738,
      `Invalid JWT token. '${alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, RS384, RS512, PS256'`,
    );
  if (header.x5t !== cert.x5t && header['x5t#S256'] !== cert.x5tS256) {
    throw aadError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${String(header['x5t#S256'] ?? header.x5t ?? '')}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${APP_CLIENT_ID}'.`,
    );
  }
  let payload: Record<string, unknown>;
  try {
    const key = await importX509(cert.certPem, alg);
    const { payload: raw } = await compactVerify(assertion, key);
    payload = JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>;
  } catch {
    throw aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
  }
  const now = Math.floor(Date.now() / 1000);
  if (
    typeof payload.exp !== 'number' ||
    payload.exp + 300 < now ||
    (typeof payload.nbf === 'number' && payload.nbf - 300 > now)
  ) {
    throw aadError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}, assertion valid from ${payload.nbf ? new Date(Number(payload.nbf) * 1000).toISOString() : '?'}, expiry time of assertion ${payload.exp ? new Date(Number(payload.exp) * 1000).toISOString() : '?'}.`,
    );
  }
  if (payload.iss !== clientId || payload.sub !== clientId) {
    throw aadError(
      401,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`,
    );
  }
  const host = d.authorityHost();
  const okAud = [
    `${host}/${TENANT_ID}/oauth2/v2.0/token`,
    `${host}/${TENANT_ID}/v2.0`,
    `${host}/${TENANT_ID}/oauth2/token`,
  ];
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.some((a) => okAud.includes(String(a)))) {
    throw aadError(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${String(payload.aud)}'. Expected '${okAud[0]}'.`,
    );
  }
}
