/** Usage and help of `cses-cert services` (kept apart so the Azure SDKs load only when the command runs). */
export const SERVICES_CHECK_USAGE =
  'cses-cert services check --subscription ID [--resource-group G] [--name N] [--days 30] [--json] [--user PERSONA] [--azure]';

export const SERVICES_HELP = `Usage:
  ${SERVICES_CHECK_USAGE}

Reads every cloud service (extended support) of the subscription, maps each role's .cscfg certificate to the
osProfile.secrets version with the same thumbprint, and reads that version from Key Vault.

Exit status: 0 all certificates fine; 2 check failed — a certificate expires within --days (default 30) or has
expired, a .cscfg thumbprint has no osProfile.secrets entry (mismatch), a version is disabled, or a vault or version
cannot be read; 1 usage or sign-in error.

Sign-in: --azure (or AZURE_CLIENT_ID / AZURE_TENANT_ID in the environment) uses DefaultAzureCredential (environment,
workload identity, managed identity, Azure CLI…). Otherwise the local sandbox (SANDBOX_STATE_DIR, default .sandbox) as
the persona --user (Ada, Cole, Rita, or a username; default Ada).
`;
