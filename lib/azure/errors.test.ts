import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { AuthenticationError, CredentialUnavailableError } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { accessAdvice } from '@/lib/wizard/access';
import { toAppError, type ErrorContext } from './errors';

/** A RestError shaped like the SDKs' (status, code, parsed body in `details`, response headers). Message = raw Azure text. */
function restError(
  status: number,
  body: { error: Record<string, unknown> },
  headers: Record<string, string> = {},
): RestError {
  const request = createPipelineRequest({ url: 'https://kv-contoso-prod.vault.azure.net/certificates/web/import' });
  const error = new RestError(`RAW-AZURE-TEXT ${String(body.error.message ?? '')}`, {
    code: String(body.error.code ?? ''),
    statusCode: status,
    request,
    response: { status, headers: createHttpHeaders(headers), request, bodyAsText: JSON.stringify(body) },
  });
  error.details = body;
  return error;
}

const kvForbidden = (inner: string) =>
  restError(403, {
    error: {
      code: 'Forbidden',
      message:
        "Caller is not authorized to perform action on resource.\r\nCaller: appid=x;oid=y;iss=https://sts.windows.net/t/\r\nAction: 'Microsoft.KeyVault/vaults/certificates/import/action'",
      innererror: { code: inner },
    },
  });

/** A context as the tests write it: the UPN only where a test is about it. */
type TestContext = Omit<ErrorContext, 'upn'> & { upn?: string };

const importCtx: TestContext = {
  operation: 'import-certificate',
  vaultName: 'kv-contoso-rbac',
  vaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso-rbac',
  certificateName: 'web',
  rbac: true,
};

function map(error: unknown, ctx: TestContext = importCtx): AppError {
  const mapped = toAppError(error, { upn: undefined, ...ctx });
  expect(mapped).toBeInstanceOf(AppError);
  const body = JSON.stringify(mapped.toBody());
  expect(mapped.message).toBeTruthy();
  expect(mapped.action).toBeTruthy();
  // No raw SDK or Azure text, no stack.
  expect(body).not.toMatch(/RAW-AZURE-TEXT|Caller:|appid=|AKV\d|stack|at Object\.|\.ts:\d/);
  return mapped;
}

describe('toAppError: 403 → which role, permission or network change to ask for', () => {
  it('ForbiddenByRbac (RBAC vault) → the Key Vault data role and the az command scoped to the vault', () => {
    const e = map(kvForbidden('ForbiddenByRbac'));
    expect(e).toMatchObject({ code: 'forbidden', reason: 'ForbiddenByRbac', status: 403 });
    expect(e.action).toContain("'Key Vault Certificates Officer'");
    expect(e.action).toContain('az role assignment create --role "Key Vault Certificates Officer"');
    expect(e.action).toContain(importCtx.vaultId);
  });

  it('ForbiddenByPolicy (access-policy vault) → the certificate permission and az keyvault set-policy', () => {
    const e = map(kvForbidden('ForbiddenByPolicy'), { ...importCtx, rbac: false, vaultName: 'kv-contoso-prod' });
    expect(e.reason).toBe('ForbiddenByPolicy');
    expect(e.message).toContain("'import'");
    expect(e.action).toMatch(
      /az keyvault set-policy --name kv-contoso-prod .*--certificate-permissions get list import/,
    );
  });

  it("a refused import says exactly what the advice table says for that vault, with the user's UPN", () => {
    const vault = {
      id: '/subscriptions/s/resourceGroups/rg-cses-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod',
      name: 'kv-contoso-prod',
      resourceGroup: 'rg-cses-prod',
    };
    for (const rbac of [false, true]) {
      const e = map(kvForbidden(rbac ? 'ForbiddenByRbac' : 'ForbiddenByPolicy'), {
        operation: 'import-certificate',
        vaultName: vault.name,
        vaultId: vault.id,
        rbac,
        upn: 'reader@contoso.sandbox',
      });
      const table = accessAdvice('certificates', { vault: { ...vault, rbac }, upn: 'reader@contoso.sandbox' });
      expect(e.advice).toEqual({ ask: table.ask, purpose: table.purpose, az: table.az, powershell: table.powershell });
      expect(e.action).toBe(`${table.ask} An administrator can run: ${table.az}`);
      expect(JSON.stringify(e.toBody())).not.toContain('<your-upn>');
    }
  });

  it('a bare Forbidden on an access-policy vault is treated as a missing access policy', () => {
    const e = map(
      restError(403, { error: { code: 'Forbidden', message: 'does not have certificates get permission' } }),
      { ...importCtx, operation: 'get-certificate', rbac: false },
    );
    expect(e.action).toContain('set-policy');
    expect(e.action).not.toContain('get list get');
  });

  it('ForbiddenByRbac wins over a stale "access policy" hint', () => {
    expect(map(kvForbidden('ForbiddenByRbac'), { ...importCtx, rbac: false }).action).toContain(
      'az role assignment create',
    );
  });

  it('ForbiddenByConnection / ForbiddenByFirewall → the vault networking change', () => {
    for (const code of ['ForbiddenByConnection', 'ForbiddenByFirewall']) {
      const e = map(kvForbidden(code));
      expect(e).toMatchObject({ code: 'forbidden', reason: code });
      expect(e.action).toMatch(/Networking/);
    }
  });

  it('AuthorizationFailed on the vault PATCH → Key Vault Contributor or the az keyvault update an admin can run', () => {
    const arm = restError(403, {
      error: {
        code: 'AuthorizationFailed',
        message:
          "The client 'x' with object id 'y' does not have authorization to perform action 'Microsoft.KeyVault/vaults/write'",
      },
    });
    const e = map(arm, {
      operation: 'update-vault',
      vaultName: 'kv-contoso-prod',
      vaultId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso-prod',
    });
    expect(e.reason).toBe('AuthorizationFailed');
    expect(e.message).toContain('Microsoft.KeyVault/vaults/write');
    expect(e.action).toContain("'Key Vault Contributor'");
    // One command, in one form: the role assignment at the vault, with the signed-in user's UPN when known.
    expect(e.action).not.toContain('az keyvault update');
    expect(e.advice?.az).toBe(
      'az role assignment create --role "Key Vault Contributor" --assignee <your-upn> --scope /subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso-prod',
    );
    expect(e.action).toContain(e.advice!.az);
  });

  it('AuthorizationFailed on a read → Reader', () => {
    const e = map(restError(403, { error: { code: 'AuthorizationFailed', message: 'no' } }), {
      operation: 'list-vaults',
    });
    expect(e.action).toContain("'Reader'");
  });

  it('RequestDisallowedByPolicy → Azure Policy exemption', () => {
    const e = map(
      restError(403, {
        error: { code: 'RequestDisallowedByPolicy', message: "Resource 'kv' was disallowed by policy." },
      }),
      { operation: 'update-vault', vaultName: 'kv' },
    );
    expect(e.message).toContain('Azure Policy');
  });

  it('the SDK model spelling innerError is read too, and the innermost code wins', () => {
    const e = restError(403, {
      error: {
        code: 'Forbidden',
        message: 'x',
        innerError: { code: 'Outer', innerError: { code: 'ForbiddenByRbac' } },
      },
    });
    expect(map(e).reason).toBe('ForbiddenByRbac');
  });
});

describe('toAppError: other statuses', () => {
  it('401 → sign in again; a token for another tenant → switch directory', () => {
    expect(
      map(
        restError(401, {
          error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
        }),
      ),
    ).toMatchObject({ code: 'reauth_required', status: 401 });
    const tenant = map(
      restError(401, {
        error: {
          code: 'InvalidAuthenticationTokenTenant',
          message: "The access token is from the wrong issuer 'https://sts.windows.net/x/'",
        },
      }),
      { operation: 'list-vaults' },
    );
    expect(tenant.code).toBe('forbidden');
    expect(tenant.action).toMatch(/switch directory/);
  });

  it('404 names what was not found', () => {
    expect(
      map(
        restError(404, {
          error: {
            code: 'CertificateNotFound',
            message: 'A certificate with (name/id) web was not found in this key vault.',
          },
        }),
        { ...importCtx, operation: 'get-certificate' },
      ),
    ).toMatchObject({
      code: 'not_found',
      reason: 'CertificateNotFound',
      message: "The certificate 'web' was not found.",
    });
    expect(
      map(
        restError(404, {
          error: {
            code: 'ResourceNotFound',
            message: "The Resource 'Microsoft.KeyVault/vaults/kv' under resource group 'rg' was not found.",
          },
        }),
        { operation: 'get-vault', vaultName: 'kv' },
      ).message,
    ).toBe("The vault 'kv' was not found.");
    expect(
      map(
        restError(404, {
          error: { code: 'ResourceGroupNotFound', message: "Resource group 'rg' could not be found." },
        }),
        { operation: 'get-vault', vaultName: 'kv' },
      ).message,
    ).toContain('resource group');
  });

  it('409 deleted-but-recoverable → recover (or purge, or another name)', () => {
    const e = map(
      restError(409, {
        error: {
          code: 'Conflict',
          message:
            'Certificate web is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the certificate can only be recovered or purged.',
          innererror: { code: 'ObjectIsDeletedButRecoverable' },
        },
      }),
    );
    expect(e).toMatchObject({ code: 'deleted_recoverable', status: 409, reason: 'ObjectIsDeletedButRecoverable' });
    expect(e.action).toMatch(/Recover/);
    expect(map(restError(409, { error: { code: 'Conflict', message: 'x' } })).code).toBe('conflict');
  });

  it('429 honours Retry-After in seconds, as an HTTP date, and retry-after-ms; says so in the action', () => {
    const seconds = map(
      restError(
        429,
        {
          error: {
            code: 'Throttled',
            message:
              'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
          },
        },
        { 'retry-after': '17' },
      ),
    );
    expect(seconds).toMatchObject({ code: 'throttled', status: 429, retryAfter: 17, reason: 'Throttled' });
    expect(seconds.action).toBe('Wait 17 seconds, then retry.');
    const date = map(
      restError(
        429,
        { error: { code: 'TooManyRequests', message: 'x' } },
        { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
      ),
    );
    expect(date.retryAfter).toBeGreaterThanOrEqual(28);
    expect(date.retryAfter).toBeLessThanOrEqual(31);
    expect(
      map(restError(429, { error: { code: 'Throttled', message: 'x' } }, { 'retry-after-ms': '2500' })).retryAfter,
    ).toBe(3);
    const none = map(restError(429, { error: { code: 'Throttled', message: 'x' } }));
    expect(none.retryAfter).toBeUndefined();
    expect(none.action).toMatch(/Wait a moment/);
    expect(
      map(restError(429, { error: { code: 'Throttled', message: 'x' } }, { 'retry-after': '99999999' })).retryAfter,
    ).toBe(86_400);
    expect(
      map(restError(429, { error: { code: 'Throttled', message: 'x' } }, { 'retry-after': 'soon' })).retryAfter,
    ).toBeUndefined();
  });

  it('5xx → azure_unavailable (502), with Retry-After when Azure sends one', () => {
    expect(map(restError(500, { error: { code: 'InternalServerError', message: 'x' } }))).toMatchObject({
      code: 'azure_unavailable',
      status: 502,
    });
    expect(
      map(restError(503, { error: { code: 'ServiceUnavailable', message: 'x' } }, { 'retry-after': '5' })),
    ).toMatchObject({ retryAfter: 5 });
  });

  it('400 on import → pfx_rejected; elsewhere → bad_request', () => {
    expect(
      map(
        restError(400, {
          error: { code: 'BadParameter', message: 'The specified PKCS#12 X.509 certificate content can not be read.' },
        }),
      ).code,
    ).toBe('pfx_rejected');
    expect(
      map(restError(400, { error: { code: 'BadParameter', message: 'x' } }), { operation: 'get-vault' }).code,
    ).toBe('bad_request');
  });

  it('an Azure code that is not a plain word is not echoed as reason', () => {
    expect(
      map(restError(400, { error: { code: '<script>alert(1)</script>', message: 'x' } }), { operation: 'get-vault' })
        .reason,
    ).toBeUndefined();
  });
});

describe('toAppError: identity and network failures', () => {
  it('OBO refused for missing consent → ask for admin consent', () => {
    const e = map(
      new AuthenticationError(400, {
        error: 'invalid_grant',
        error_description:
          "AADSTS65001: The user or administrator has not consented to use the application with ID 'x'. RAW-AZURE-TEXT",
        error_codes: [65001],
      }),
    );
    expect(e).toMatchObject({ code: 'forbidden', reason: 'AADSTS65001' });
    expect(e.action).toMatch(/admin consent/);
  });

  it("the app's own secret refused → not_configured, for the operator", () => {
    const e = map(
      new AuthenticationError(401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided. RAW-AZURE-TEXT',
        error_codes: [7000215],
      }),
    );
    expect(e).toMatchObject({ code: 'not_configured', reason: 'AADSTS7000215' });
  });

  it('an expired assertion or an unknown identity failure → sign in again', () => {
    expect(
      map(
        new AuthenticationError(400, {
          error: 'invalid_grant',
          error_description: 'AADSTS500133: Assertion is not within its valid time range. RAW-AZURE-TEXT',
        }),
      ).code,
    ).toBe('reauth_required');
    expect(map(new CredentialUnavailableError('RAW-AZURE-TEXT no credential')).code).toBe('reauth_required');
  });

  it('network and TLS errors → azure_unavailable with the errno only', () => {
    const refused = Object.assign(new Error('RAW-AZURE-TEXT connect ECONNREFUSED 10.0.0.1:443'), {
      code: 'ECONNREFUSED',
    });
    expect(map(refused)).toMatchObject({ code: 'azure_unavailable', reason: 'ECONNREFUSED' });
    const tls = Object.assign(new Error('RAW-AZURE-TEXT self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(map(tls).action).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('anything else (a TypeError from a deserializer, a string, null) → azure_unavailable, never a throw', () => {
    for (const weird of [
      new TypeError("RAW-AZURE-TEXT Cannot read properties of undefined (reading 'sku')"),
      'RAW-AZURE-TEXT',
      null,
      undefined,
      42,
      { statusCode: 'x' },
      { details: { error: { innererror: 'x' } } },
    ]) {
      expect(map(weird).code).toBe('azure_unavailable');
    }
  });

  it('an AppError passes through unchanged', () => {
    const original = new AppError({ code: 'forbidden', message: 'm', action: 'a' });
    expect(toAppError(original, { ...importCtx, upn: undefined })).toBe(original);
  });
});
