/** Usage and help of `cses-cert migrate` (kept apart so the Azure SDKs load only when the command runs). */
export const MIGRATE_USAGE =
  'cses-cert migrate --subscription ID --resource-group G --name N [--csdef F] --target vmss|kv-extension|sf-managed|app-service --format arm|bicep|az|powershell [--json] [--report markdown|html] [--polling-interval S] [--client-certificate ROLE/NAME [--client-by thumbprint|common-name]] [--user PERSONA] [--azure]';

export const MIGRATE_HELP = `Usage:
  ${MIGRATE_USAGE}

Carries the certificates of a running cloud service (extended support) to its successor: reads the live service's
.cscfg and osProfile.secrets and each certificate from Key Vault, maps every role's certificate to the target, and
prints the output in the chosen format — the same as the service page's Migrate tab.

Targets:
  vmss          VM Scale Sets (Flexible): osProfile.secrets with certificateStore from the .csdef (versioned URLs)
  kv-extension  Key Vault VM extension for Windows: a user-assigned identity, Key Vault Secrets User (or a get/list
                access policy) on each vault, observedCertificates with versionless URLs, store name and location
  sf-managed    Service Fabric managed cluster: each node type's vmSecrets, and --client-certificate as the cluster's
                admin client (by thumbprint, or by common name)
  app-service   App Service: Microsoft.Web/certificates (keyVaultId + keyVaultSecretName) and the App Service
                resource provider's access to each vault

The stores come from the .csdef (--csdef), which a live service does not expose; without it every certificate goes to
LocalMachine/My, with a warning. Blockers and checks (RSA keys under 2048 bits, SHA-1 signatures, certificates held only
as secrets, the RemoteAccess certificate to drop, expiry before 2027-03-31) go to stderr as warnings; --json prints the
mapping itself (certificates, blockers, identities and grants, checklist); --report prints the migration report.

Exit status: 0 the output was printed (read the warnings); 2 no certificate can be carried; 1 usage or sign-in error.

Sign-in: as cses-cert services check — --azure (or AZURE_CLIENT_ID / AZURE_TENANT_ID) uses DefaultAzureCredential;
otherwise the local sandbox as the persona --user (default Ada).
`;
