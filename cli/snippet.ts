/** `cses-cert snippet KIND --vault-id ID --certificate-url URL …` over lib/snippets. */
import { SNIPPET_KINDS, isSnippetKind, renderSnippet, type SnippetModel } from '../lib/snippets';
import { flag, list, onePositional, parseCliArgs, requireStr, str } from './args';
import { CliError, EXIT_OK } from './errors';
import type { CliIO } from './io';

export const SNIPPET_USAGE =
  'cses-cert snippet (arm|vmss|bicep|az|powershell|cscfg|csdef) --vault-id ID --certificate-url URL [--certificate-name NAME] [--thumbprint T] [--role ROLE]… [--store-location L] [--store-name S] [--permission-level P]';

export const SNIPPET_HELP = `Usage: ${SNIPPET_USAGE}

Print what wires a Key Vault certificate into Cloud Services (extended support):
  arm         osProfile.secrets of Microsoft.Compute/cloudServices (api-version 2022-09-04), JSON
  vmss        virtualMachineProfile.osProfile.secrets with certificateStore (VMSS, the migration target), JSON
  bicep       the same for Bicep
  az          az CLI: enable the vault for deployment, check the version's thumbprint, deploy osProfile.secrets
              as the "secrets" template parameter
  powershell  Set-AzKeyVaultAccessPolicy -EnabledForDeployment and New-AzCloudServiceVaultSecretGroupObject
  cscfg       <Certificates> for the .cscfg (needs --thumbprint)
  csdef       <Certificates> for the .csdef

Options:
  --vault-id ID            /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{vault}
  --certificate-url URL    The versioned Secret Identifier: https://{vault}.vault.azure.net/secrets/{name}/{version}
                           (not the /certificates/ identifier).
  --certificate-name NAME  Name in .cscfg/.csdef (default: the Key Vault certificate name).
  --thumbprint T           SHA-1 thumbprint (for cscfg).
  --role ROLE              Role name (repeatable; cscfg/csdef output per role).
  --store-location L       LocalMachine (default) or CurrentUser (csdef).
  --store-name S           My (default) … (csdef, vmss certificateStore).
  --permission-level P     limitedOrElevated or elevated (csdef).
  -h, --help               Show this help.

Exit status: 0 printed, 1 invalid input.
`;

export async function snippetCommand(argv: string[], io: CliIO): Promise<number> {
  const p = parseCliArgs(
    argv,
    {
      'vault-id': { type: 'string' },
      'certificate-url': { type: 'string' },
      'certificate-name': { type: 'string' },
      thumbprint: { type: 'string' },
      role: { type: 'string', multiple: true },
      'store-location': { type: 'string' },
      'store-name': { type: 'string' },
      'permission-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    SNIPPET_USAGE,
  );
  if (flag(p, 'help')) {
    io.stdout(SNIPPET_HELP);
    return EXIT_OK;
  }
  const kind = onePositional(p, 'The snippet kind', SNIPPET_USAGE);
  if (!isSnippetKind(kind)) {
    throw new CliError(
      'invalid-option-value',
      `Unknown snippet kind "${kind}".`,
      `Use one of: ${SNIPPET_KINDS.join(', ')}.`,
    );
  }
  const model: SnippetModel = {
    vaultId: requireStr(p, 'vault-id', SNIPPET_USAGE),
    certificateUrl: requireStr(p, 'certificate-url', SNIPPET_USAGE),
  };
  const optional: Array<[keyof SnippetModel, string]> = [
    ['certificateName', 'certificate-name'],
    ['thumbprint', 'thumbprint'],
    ['storeLocation', 'store-location'],
    ['storeName', 'store-name'],
    ['permissionLevel', 'permission-level'],
  ];
  for (const [key, opt] of optional) {
    const v = str(p, opt);
    if (v !== undefined) (model as unknown as Record<string, string>)[key] = v;
  }
  const roles = list(p, 'role');
  if (roles.length) model.roleNames = roles;
  io.stdout(renderSnippet(kind, model));
  return EXIT_OK;
}
