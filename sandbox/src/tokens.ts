import {
  SignJWT,
  exportJWK,
  importPKCS8,
  jwtVerify,
  errors as joseErrors,
  type JWK,
  type JWTPayload,
  type KeyObject,
} from 'jose';
import { createPublicKey } from 'node:crypto';
import { newGuid } from './ids.js';
import type { SigningKey } from './pki.js';

export interface TokenIssuerConfig {
  issuer: string;
  tenantId: string;
  signingKey: SigningKey;
}

export interface VerifiedToken {
  payload: JWTPayload & Record<string, unknown>;
}

export type TokenProblem =
  | { kind: 'malformed'; detail: string }
  | { kind: 'signature'; detail: string }
  | { kind: 'expired'; exp: number }
  | { kind: 'notYetValid'; nbf: number }
  | { kind: 'issuer'; found: string }
  | { kind: 'audience'; found: string };

export class TokenError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(problem.kind);
  }
}

/** Signs and verifies RS256 JWTs shaped like Entra ID v2 tokens. */
export class TokenService {
  private privateKey?: CryptoKey | KeyObject;
  private readonly publicKey: KeyObject;
  constructor(readonly cfg: TokenIssuerConfig) {
    this.publicKey = createPublicKey(cfg.signingKey.privateKeyPem);
  }

  private async key(): Promise<CryptoKey | KeyObject> {
    if (!this.privateKey) this.privateKey = await importPKCS8(this.cfg.signingKey.privateKeyPem, 'RS256');
    return this.privateKey;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return {
      keys: [
        {
          kty: jwk.kty,
          use: 'sig',
          kid: this.cfg.signingKey.kid,
          n: jwk.n,
          e: jwk.e,
          alg: 'RS256',
          issuer: this.cfg.issuer,
        } as JWK,
      ],
    };
  }

  async sign(claims: Record<string, unknown>, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, ver: '2.0', uti: newGuid().replace(/-/g, '').slice(0, 22) })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.cfg.signingKey.kid })
      .setIssuer(this.cfg.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + lifetimeSeconds)
      .sign(await this.key());
  }

  /**
   * Verifies signature (own key), iss, aud (any of `audiences`), exp and nbf (5 minutes clock skew, like Entra).
   * Throws TokenError describing what was wrong.
   */
  async verify(token: string, audiences: string[]): Promise<VerifiedToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, { algorithms: ['RS256'], clockTolerance: 300 }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) {
        throw new TokenError({ kind: 'expired', exp: Number((e.payload as JWTPayload).exp ?? 0) });
      }
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'nbf') {
        throw new TokenError({ kind: 'notYetValid', nbf: Number((e.payload as JWTPayload).nbf ?? 0) });
      }
      if (e instanceof joseErrors.JWSSignatureVerificationFailed) {
        throw new TokenError({ kind: 'signature', detail: 'signature verification failed' });
      }
      if (e instanceof joseErrors.JOSEError) {
        throw new TokenError({ kind: 'malformed', detail: e.code });
      }
      throw new TokenError({ kind: 'malformed', detail: 'unparsable token' });
    }
    if (payload.iss !== this.cfg.issuer) throw new TokenError({ kind: 'issuer', found: String(payload.iss ?? '') });
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ''];
    if (!aud.some((a) => audiences.includes(a))) throw new TokenError({ kind: 'audience', found: aud.join(',') });
    return { payload: payload as VerifiedToken['payload'] };
  }
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m?.[1];
}
