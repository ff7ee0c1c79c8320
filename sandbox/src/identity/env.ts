import { type AppCertificate } from '../appcert.js';
import type { Store } from '../state.js';
import type { Persona } from '../model.js';
import { type TokenService } from '../tokens.js';

export const APP_SERVICE_PRINCIPAL_OID = '9e7d5c3b-1a2f-4e6d-8c4b-0a1f2e3d4c5b';
export const ACCESS_TOKEN_LIFETIME = 3599;
export const REFRESH_TOKEN_LIFETIME = 24 * 3600;

export interface IdentityDeps {
  store: Store;
  tokens: TokenService;
  authorityHost: () => string;
  appCertificate: AppCertificate;
}

export interface AuthCode {
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  oid: string;
  expires: number;
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export const GRAPH_AUDIENCE = '00000003-0000-0000-c000-000000000000';

/** The identity provider's dependencies plus its one piece of memory: authorization codes not yet redeemed. */
export interface IdentityEnv extends IdentityDeps {
  codes: Map<string, AuthCode>;
}

export function findPersona(d: IdentityEnv, username: string): Persona | undefined {
  const u = username.trim().toLowerCase();
  return d.store.state.personas.find((x) => x.username.toLowerCase() === u);
}

export function personaByOid(d: IdentityEnv, oid: string): Persona | undefined {
  return d.store.state.personas.find((x) => x.objectId === oid);
}
