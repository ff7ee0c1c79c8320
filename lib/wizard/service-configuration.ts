/**
 * The service-configuration step's derivations, pure: from the certificate, what the user typed and the files they
 * chose, every line, snippet, patched file and check the step shows. The step component only holds the inputs.
 */
import {
  checkCscfgThumbprints,
  checkPastedThumbprints,
  checkServiceConsistency,
  cscfgCertificateElement,
  csdefCertificateElement,
  isServiceConfigError,
  listRoles,
  setCscfgCertificate,
  setCsdefCertificate,
  type CertificateCheck,
  type ServiceIssue,
  type VaultCertificate,
} from '@/lib/service-config';
import { renderSnippet, SnippetError } from '@/lib/snippets';

/** A message and what to do about it (a file that cannot be read or patched, a value the snippets refuse). */
export interface Explained {
  message: string;
  action: string;
}

/** Text, or why there is none. */
export type TextOrError = { text: string } | { error: Explained };

export interface ServiceFile {
  name: string;
  text: string;
}

export interface ServiceInputs {
  /** The wizard's certificate version, once read. */
  certificate: { name: string; thumbprint: string; vaultId: string; secretId: string } | null;
  /** The "Role names" field as typed (comma separated). */
  rolesText: string;
  /** The name in the service files; empty for the Key Vault certificate name. */
  alias: string;
  storeLocation: string;
  storeName: string;
  cscfg: ServiceFile | null;
  csdef: ServiceFile | null;
  /** Thumbprints pasted for a check without a .cscfg (one per line); empty when none. */
  pasted?: string;
  /** Every version of every certificate in the vault (for the thumbprint check), once read. */
  vaultVersions: VaultCertificate[] | null;
}

export interface ServiceDerivation {
  /** The name the service files use. */
  name: string;
  /** Roles as typed (what the wizard state keeps). */
  typedRoles: string[];
  /** Roles of the chosen .cscfg. */
  fileRoles: string[];
  /** The roles patched and rendered: the typed ones, else every role of the .cscfg. */
  roles: string[];
  rolesHelp: string;
  /** The single .cscfg/.csdef lines; null when the values cannot make them (the snippets say why). */
  lines: { cscfg: string; csdef: string } | null;
  cscfgSnippet: TextOrError | null;
  csdefSnippet: TextOrError | null;
  /** The chosen files with the certificate set in every role; null without a file, certificate or role. */
  patchedCscfg: TextOrError | null;
  patchedCsdef: TextOrError | null;
  /** True when files are chosen but no role is known to patch. */
  noRoleToPatch: boolean;
  thumbprintChecks: { certificates: CertificateCheck[] } | { error: Explained } | null;
  /** The pasted thumbprints checked against the vault; null until there are some and the vault's versions are read. */
  pastedChecks: CertificateCheck[] | null;
  /** .cscfg ↔ .csdef issues of the patched pair (null unless both patched cleanly). */
  consistency: ServiceIssue[] | null;
}

export function explain(e: unknown): Explained {
  if (isServiceConfigError(e) || e instanceof SnippetError) return { message: e.message, action: e.action };
  return {
    message: 'The file could not be processed.',
    action: 'Check that it is a .cscfg/.csdef XML file and upload it again.',
  };
}

/** "WebRole1, WorkerRole1" → ["WebRole1", "WorkerRole1"]; blanks dropped. */
export function parseRoles(text: string): string[] {
  return text
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}

/** The role names of a .cscfg; none when it cannot be read (the patch says why). */
export function rolesOf(cscfgText: string): string[] {
  try {
    return listRoles(cscfgText).map((r) => r.name);
  } catch {
    return [];
  }
}

function patchAll(text: string, roles: string[], apply: (text: string, role: string) => string): TextOrError {
  try {
    let out = text;
    for (const role of roles) out = apply(out, role);
    return { text: out };
  } catch (e) {
    return { error: explain(e) };
  }
}

function attempt(f: () => string): TextOrError {
  try {
    return { text: f() };
  } catch (e) {
    return { error: explain(e) };
  }
}

export function deriveServiceConfiguration(input: ServiceInputs): ServiceDerivation {
  const c = input.certificate;
  const { storeLocation, storeName, cscfg, csdef } = input;
  const name = input.alias || c?.name || '';
  const typedRoles = parseRoles(input.rolesText);
  const fileRoles = cscfg ? rolesOf(cscfg.text) : [];
  const roles = typedRoles.length ? typedRoles : fileRoles;
  const rolesHelp =
    fileRoles.length && !typedRoles.length
      ? `From the uploaded .cscfg: ${fileRoles.join(', ')}`
      : 'Comma separated, e.g. WebRole1, WorkerRole1. Empty: every role in the uploaded .cscfg.';

  let lines: ServiceDerivation['lines'] = null;
  let cscfgSnippet: TextOrError | null = null;
  let csdefSnippet: TextOrError | null = null;
  if (c) {
    try {
      lines = {
        cscfg: cscfgCertificateElement({ name, thumbprint: c.thumbprint }),
        csdef: csdefCertificateElement({ name, storeLocation, storeName }),
      };
    } catch {
      lines = null; // the snippets carry the explanation
    }
    const model = {
      vaultId: c.vaultId,
      certificateUrl: c.secretId,
      certificateName: name,
      thumbprint: c.thumbprint,
      roleNames: roles,
      storeLocation,
      storeName,
    };
    cscfgSnippet = attempt(() => renderSnippet('cscfg', model));
    csdefSnippet = attempt(() => renderSnippet('csdef', model));
  }

  const patchedCscfg =
    cscfg && c && roles.length
      ? patchAll(cscfg.text, roles, (t, role) => setCscfgCertificate(t, { role, name, thumbprint: c.thumbprint }).text)
      : null;
  const patchedCsdef =
    csdef && c && roles.length
      ? patchAll(csdef.text, roles, (t, role) => setCsdefCertificate(t, { role, name, storeLocation, storeName }).text)
      : null;

  let thumbprintChecks: ServiceDerivation['thumbprintChecks'] = null;
  if (cscfg && input.vaultVersions) {
    try {
      thumbprintChecks = { certificates: checkCscfgThumbprints(cscfg.text, input.vaultVersions).certificates };
    } catch (e) {
      thumbprintChecks = { error: explain(e) };
    }
  }

  const pastedChecks =
    input.pasted && input.vaultVersions ? checkPastedThumbprints(input.pasted, input.vaultVersions) : null;

  let consistency: ServiceIssue[] | null = null;
  if (patchedCscfg && 'text' in patchedCscfg && patchedCsdef && 'text' in patchedCsdef) {
    try {
      consistency = checkServiceConsistency(patchedCscfg.text, patchedCsdef.text).issues;
    } catch {
      consistency = null;
    }
  }

  return {
    name,
    typedRoles,
    fileRoles,
    roles,
    rolesHelp,
    lines,
    cscfgSnippet,
    csdefSnippet,
    patchedCscfg,
    patchedCsdef,
    noRoleToPatch: Boolean((cscfg || csdef) && roles.length === 0),
    thumbprintChecks,
    pastedChecks: pastedChecks && pastedChecks.length > 0 ? pastedChecks : null,
    consistency,
  };
}
