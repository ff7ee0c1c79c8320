import { armError } from '../errors.js';
import { type Ctx } from '../http.js';
import { ARM_AUDIENCE, TENANT_ID } from '../ids.js';
import { bearerToken, TokenError } from '../tokens.js';
import { type ArmCaller, type ArmDeps } from './request.js';

export async function authenticate(d: ArmDeps, ctx: Ctx): Promise<ArmCaller> {
  const h = ctx.req.headers.authorization;
  const wwwAuth = (desc: string) => ({
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${desc}"`,
  });
  if (!h) {
    ctx.req.resume();
    throw armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      wwwAuth("The authentication failed because of missing 'Authorization' header."),
    );
  }
  const token = bearerToken(h);
  if (!token) {
    ctx.req.resume();
    throw armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
      wwwAuth("The 'Authorization' header is provided in an invalid format."),
    );
  }
  try {
    const { payload } = await d.tokens.verify(token, [
      ARM_AUDIENCE,
      `${ARM_AUDIENCE}/`,
      'https://management.core.windows.net',
      'https://management.core.windows.net/',
    ]);
    return {
      oid: String(payload.oid ?? ''),
      upn: String(payload.upn ?? payload.preferred_username ?? payload.oid ?? ''),
    };
  } catch (e) {
    if (!(e instanceof TokenError)) throw e;
    ctx.req.resume();
    const p = e.problem;
    if (p.kind === 'expired') {
      throw armError(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${new Date(p.exp * 1000).toUTCString()}' is earlier than current UTC time '${new Date().toUTCString()}'.`,
        wwwAuth('The access token has expired.'),
      );
    }
    if (p.kind === 'audience') {
      throw armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${p.found}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        wwwAuth('The access token has an invalid audience.'),
      );
    }
    if (p.kind === 'issuer') {
      throw armError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer '${p.found}'. It must match the tenant 'https://sts.windows.net/${TENANT_ID}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${TENANT_ID}' to get the token.`,
        wwwAuth('The access token is from the wrong issuer.'),
      );
    }
    throw armError(
      401,
      'InvalidAuthenticationToken',
      'The access token is invalid.',
      wwwAuth('The access token is invalid.'),
    );
  }
}
