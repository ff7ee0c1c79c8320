/**
 * Everything the Cloud Services RP (and ARM's authorization in front of it) checks on a PUT, checked here first so
 * nothing it would refuse is sent. Each check carries the RP's own words for the refusal it prevents
 * (cses-field-failures §1), and what to do.
 */
import { isServiceConfigError, normalizeThumbprint, readServiceFile } from '../service-config';
import { daysUntil, missingThumbprintsText, vaultGate } from './health';
import { isParsed, parseSecretUrl, parseVaultId, sameId, secretEntries } from './secrets';
import type { LiveService, SecretGroup, ServiceFacts, ServiceRights } from './types';

export interface PreflightCheck {
  id:
    | 'configuration'
    | 'roles'
    | 'versioned-urls'
    | 'duplicate-vault'
    | 'source-vault'
    | 'enabled-for-deployment'
    | 'subscription-region'
    | 'readable'
    | 'certificate-format'
    | 'version-enabled'
    | 'thumbprints'
    | 'expiry'
    | 'firewall'
    | 'write-permission'
    | 'deploy-permission'
    | 'changed';
  /** `rp`: the RP (or ARM) would refuse; `rights`: only the signed-in user's rights are missing (Export still works);
   * `advice`: not refused, but worth knowing. */
  kind: 'rp' | 'rights' | 'advice';
  ok: boolean;
  severity: 'error' | 'warning';
  title: string;
  /** What passed, or the refusal (in the RP's words where it has them). */
  message: string;
  fix: string;
  /** The code the RP would answer with. */
  rpCode?: string;
}

export interface PreflightResult {
  /** Nothing refuses it: Apply may send it. */
  canApply: boolean;
  /** Only the user's rights are missing: the change is sound and can be exported for someone who has them. */
  canExport: boolean;
  checks: PreflightCheck[];
}

export interface Proposal {
  configuration: string;
  secrets: SecretGroup[];
}

function check(
  id: PreflightCheck['id'],
  title: string,
  failures: Array<{ message: string; fix: string }>,
  passed: string,
  opts: { kind?: PreflightCheck['kind']; severity?: PreflightCheck['severity']; rpCode?: string } = {},
): PreflightCheck {
  const first = failures[0];
  return {
    id,
    kind: opts.kind ?? 'rp',
    ok: !first,
    severity: opts.severity ?? 'error',
    title,
    message: first ? failures.map((f) => f.message).join(' ') : passed,
    fix: first ? [...new Set(failures.map((f) => f.fix))].join(' ') : 'Nothing to do.',
    ...(first && opts.rpCode && { rpCode: opts.rpCode }),
  };
}

export function preflight(
  service: LiveService,
  proposal: Proposal,
  facts: ServiceFacts,
  rights: ServiceRights,
  options: { now?: Date; warnDays?: number } = {},
): PreflightResult {
  const now = options.now ?? new Date();
  const warnDays = options.warnDays ?? 30;
  const checks: PreflightCheck[] = [];
  const entries = secretEntries(proposal.secrets);

  // The .cscfg and its roles.
  let roles: ReturnType<typeof readServiceFile>['roles'] = [];
  const configFailures: Array<{ message: string; fix: string }> = [];
  try {
    roles = readServiceFile(proposal.configuration, 'cscfg').roles;
  } catch (e) {
    if (!isServiceConfigError(e)) throw e;
    configFailures.push({ message: e.message, fix: e.action });
  }
  checks.push(check('configuration', 'The configuration is a valid .cscfg', configFailures, 'It parses as a .cscfg.'));
  if (service.roles.length && roles.length) {
    const names = roles.map((r) => r.name);
    const missing = service.roles.filter((r) => !names.includes(r));
    const extra = names.filter((r) => !service.roles.includes(r));
    checks.push(
      check(
        'roles',
        'Roles match the deployed roles',
        [
          ...missing.map((r) => ({
            message: `The .cscfg has no role ${r}, which the service deploys.`,
            fix: 'Keep every deployed role in the configuration.',
          })),
          ...extra.map((r) => ({
            message: `The .cscfg has a role ${r} that the service does not deploy.`,
            fix: 'Remove the role, or deploy a package that has it.',
          })),
        ],
        `Roles: ${service.roles.join(', ')}.`,
        { rpCode: 'InvalidParameter' },
      ),
    );
  }

  // URLs and groups.
  checks.push(
    check(
      'versioned-urls',
      'Every certificateUrl is a versioned secret URL',
      entries.flatMap((e) => {
        const p = parseSecretUrl(e.certificateUrl);
        return isParsed(p) ? [] : [{ message: p.problem.message, fix: p.problem.action }];
      }),
      `${entries.length} versioned /secrets/ URL${entries.length === 1 ? '' : 's'}.`,
      { rpCode: 'InvalidParameter' },
    ),
  );
  checks.push(
    check(
      'duplicate-vault',
      'Each vault is listed once',
      proposal.secrets
        .filter((g, i, all) => all.findIndex((x) => sameId(x.sourceVault.id, g.sourceVault.id)) !== i)
        .map((g) => ({
          message: `List secrets contains repeated instances of ${g.sourceVault.id}, which is disallowed.`,
          fix: "Put all of a vault's certificate URLs in one group.",
        })),
      `${proposal.secrets.length} vault group${proposal.secrets.length === 1 ? '' : 's'}, one per vault.`,
      { rpCode: 'InvalidParameter' },
    ),
  );

  // The vault gate, per group.
  const gates = proposal.secrets.map((g) =>
    vaultGate(
      service,
      g.sourceVault.id,
      g.vaultCertificates.map((c) => c.certificateUrl),
      facts,
    ),
  );
  const gateFailures = (id: string) =>
    gates.flatMap((g) => g.checks.filter((c) => c.id === id && c.ok !== true).map((c) => ({ g, c })));
  checks.push(
    check(
      'source-vault',
      'sourceVault.id is the true vault of its URLs',
      [...gateFailures('found'), ...gateFailures('id-match')].map(({ g, c }) => ({
        message:
          c.id === 'id-match'
            ? `Key Vault ${proposal.secrets.find((x) => sameId(x.sourceVault.id, g.vaultId))?.vaultCertificates[0]?.certificateUrl ?? g.vaultName} either has not been enabled for deployment or the vault id provided, ${g.vaultId}, does not match the Key Vault's true resource id.`
            : c.message,
        fix: c.fix,
      })),
      'Every group names the vault its URLs are in.',
      { rpCode: 'KeyVaultAccessForbidden' },
    ),
  );
  checks.push(
    check(
      'enabled-for-deployment',
      'Vaults are enabled for deployment',
      gateFailures('deployment').map(({ g, c }) => {
        const url = proposal.secrets.find((x) => sameId(x.sourceVault.id, g.vaultId))?.vaultCertificates[0];
        return {
          message: `Key Vault ${url?.certificateUrl ?? g.vaultName} either has not been enabled for deployment or the vault id provided, ${g.vaultId}, does not match the Key Vault's true resource id.`,
          fix: c.fix,
        };
      }),
      'enabledForDeployment is on for every vault.',
      { rpCode: 'KeyVaultAccessForbidden' },
    ),
  );
  const vaultOf = (id: string) => facts.vaults.find((v) => sameId(v.id, id));
  checks.push(
    check(
      'subscription-region',
      "Vaults are in the service's subscription and region",
      [
        ...gateFailures('subscription').map(({ g, c }) => ({
          message: `The SubscriptionId:"${service.subscriptionId}" of the request must match the SubscriptionId "${parseVaultId(g.vaultId)?.subscriptionId ?? '?'}" contained in the Key Vault Id`,
          fix: c.fix,
        })),
        ...gateFailures('region').map(({ g, c }) => ({
          message: `The Key Vault ${g.vaultId} is located in location ${vaultOf(g.vaultId)?.location ?? '?'}, which is different from the location of the VM, ${service.location}.`,
          fix: c.fix,
        })),
      ],
      `Every vault is in subscription ${service.subscriptionId} and region ${service.location}.`,
      { rpCode: gateFailures('subscription').length ? 'InvalidParameter' : 'KeyVaultAndVMInDifferentRegions' },
    ),
  );

  // What each secret version is.
  const versions = entries.map((e) => ({ e, f: facts.secrets.find((s) => s.url === e.certificateUrl) }));
  checks.push(
    check(
      'readable',
      'Every secret version could be verified',
      versions
        .filter(({ f }) => !f || (f.read !== 'ok' && f.read !== 'invalid-url' && f.read !== 'not-found'))
        .map(({ e, f }) => ({
          message: `${e.certificateUrl} could not be read${f?.error ? `: ${f.error.message}` : ''}, so this app cannot tell whether the RP would accept it.`,
          fix: f?.error?.action ?? 'Ask for read access to the certificates of that vault, then plan again.',
        })),
      'Every referenced version was read from its vault.',
    ),
  );
  checks.push(
    check(
      'certificate-format',
      'Every secret is a certificate-backed PKCS#12',
      versions
        .filter(
          ({ f }) =>
            f?.version &&
            (!f.version.certificateBacked ||
              (f.version.contentType !== null && f.version.contentType !== 'application/x-pkcs12')),
        )
        .map(({ e, f }) => ({
          message: !f!.version!.certificateBacked
            ? `The data retrieved from ${e.certificateUrl} is not deserializable into JSON. (It is a plain secret, not a Key Vault certificate.)`
            : `The secret's JSON representation retrieved from ${e.certificateUrl} has a data field which is not a properly formatted PFX file, or the password provided does not decode the PFX file correctly. (Its content type is ${f!.version!.contentType ?? 'not set'}.)`,
          fix: 'Import the PFX as a Key Vault certificate with content type application/x-pkcs12 and use that version.',
        })),
      'Every version is a Key Vault certificate with content type application/x-pkcs12.',
      { rpCode: 'CertificateImproperlyFormatted' },
    ),
  );
  checks.push(
    check(
      'version-enabled',
      'Every version exists and is enabled',
      versions
        .filter(({ f }) => f?.read === 'not-found' || (f?.version && !f.version.enabled))
        .map(({ e, f }) => ({
          message: `The secret ${e.certificateUrl} was not found in Key Vault ${e.vaultId}, or it is disabled.`,
          fix:
            f?.read === 'not-found'
              ? 'Rotate this entry to a version that exists.'
              : 'Enable that version in Key Vault, or use an enabled one.',
        })),
      'Every referenced version exists and is enabled.',
      { rpCode: 'KeyVaultSecretDoesNotExist' },
    ),
  );

  // Every .cscfg thumbprint has a certificate in the new secrets (matched by the version's thumbprint).
  const present = new Set(versions.map(({ f }) => f?.version?.thumbprint).filter(Boolean) as string[]);
  const missing = roles.flatMap((r) =>
    r.certificates
      .map((c) => {
        const n = normalizeThumbprint(c.thumbprint ?? '');
        return { role: r.name, thumbprint: n.valid ? n.value : (c.thumbprint ?? '') };
      })
      .filter((c) => !present.has(c.thumbprint)),
  );
  const unknown = versions.some(({ f }) => !f?.version?.thumbprint);
  checks.push({
    ...check(
      'thumbprints',
      'Every .cscfg thumbprint has its certificate in osProfile.secrets',
      missing.length
        ? [
            {
              message: missingThumbprintsText(missing),
              fix: unknown
                ? 'Some versions could not be read (see above); once they can, plan again.'
                : 'Rotate or repair so that each of these thumbprints is the thumbprint of a referenced version.',
            },
          ]
        : [],
      `${roles.reduce((n, r) => n + r.certificates.length, 0)} role certificates, each found in osProfile.secrets.`,
      { rpCode: 'InvalidParameter' },
    ),
  });

  // Advice: expiry and firewall (the platform fetches later; the RP does not look).
  const expiry = versions.filter(({ f }) => f?.version?.expiresOn);
  const expired = expiry.filter(({ f }) => (daysUntil(f!.version!.expiresOn, now) ?? 0) < 0);
  const soon = expiry.filter(({ f }) => {
    const d = daysUntil(f!.version!.expiresOn, now) ?? 0;
    return d >= 0 && d <= warnDays;
  });
  checks.push(
    check(
      'expiry',
      'No referenced certificate has expired',
      expired.map(({ e, f }) => ({
        message: `${e.certificateUrl} expired on ${f!.version!.expiresOn!.slice(0, 10)}.`,
        fix: 'Rotate it to a renewed version as well.',
      })),
      soon.length
        ? `Still valid, but ${soon.map(({ f }) => `${f!.version!.name} expires on ${f!.version!.expiresOn!.slice(0, 10)}`).join('; ')}.`
        : 'Every referenced certificate is valid for more than 30 days.',
      { kind: 'advice', severity: 'warning' },
    ),
  );
  checks.push(
    check(
      'firewall',
      "The platform can get through the vaults' firewalls",
      gateFailures('firewall').map(({ c }) => ({ message: c.message, fix: c.fix })),
      'No vault firewall blocks the deployment service.',
      { kind: 'advice' },
    ),
  );

  // Rights (ARM checks them before the RP sees the body).
  checks.push(
    check(
      'write-permission',
      'You may update this cloud service',
      rights.write === false
        ? [
            {
              message: `You do not have authorization to perform action 'Microsoft.Compute/cloudServices/write' over scope '${service.id}'.`,
              fix: 'Export the change for someone with the Contributor role on the service, or ask for that role.',
            },
          ]
        : [],
      rights.write === null ? 'Not known in advance; Azure checks it on Apply.' : 'You have cloudServices/write.',
      { kind: 'rights', rpCode: 'AuthorizationFailed' },
    ),
  );
  checks.push(
    check(
      'deploy-permission',
      'You may deploy certificates from every vault',
      proposal.secrets
        .filter((g) => rights.deploy[g.sourceVault.id.toLowerCase()] === false)
        .map((g) => ({
          message: `The client does not have permission to perform action 'Microsoft.KeyVault/vaults/deploy/action' on the linked scope(s) '${g.sourceVault.id}'.`,
          fix: `Ask for a role with Microsoft.KeyVault/vaults/deploy/action on ${parseVaultId(g.sourceVault.id)?.name ?? 'the vault'} (Key Vault Contributor, Contributor or Owner), or export the change for someone who has it.`,
        })),
      'You have vaults/deploy/action on every vault (or Azure checks it on Apply).',
      { kind: 'rights', rpCode: 'LinkedAuthorizationFailed' },
    ),
  );
  const changed =
    proposal.configuration !== service.configuration ||
    JSON.stringify(proposal.secrets) !== JSON.stringify(service.secrets);
  checks.push(
    check(
      'changed',
      'The change differs from what is deployed',
      changed
        ? []
        : [{ message: 'The proposed configuration is what the service already has.', fix: 'Nothing to apply.' }],
      'The configuration or the secrets change.',
    ),
  );

  const failing = checks.filter((c) => !c.ok && c.severity === 'error');
  const canExport = !failing.some((c) => c.kind !== 'rights');
  return { canApply: canExport && failing.length === 0, canExport, checks };
}
