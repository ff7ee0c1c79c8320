/**
 * buildPfxFromPem: PEM (or DER) certificate and key files in, a PFX out that goes through the normal import path.
 * The files are inspected first (inspectPem): the PFX is built only when a leaf, its key and no error were found, and
 * holds the leaf and its chain in order (unrelated certificates are left out). An encrypted key is decrypted with
 * its passphrase and encrypted again in the PFX; the plain key is wiped from memory after writing.
 */
import type { Finding } from './types';
import { KEY_VAULT_MAX_CHARS } from './limits';
import { type PemInspectOptions, type PemInspectResult, readPemMaterial } from './pem-inspect';
import type { PemFile } from './pem-sources';
import { writePfx } from './pfx-writer';

export class BuildPfxError extends Error {
  /** A finding code (docs/error-codes.md), e.g. `key-mismatch`, `wrong-key-passphrase`, `leaf-missing`. */
  readonly code: string;
  readonly action: string;
  /** The inspection that refused the build (absent for a bad PFX password). */
  readonly inspection?: PemInspectResult;
  constructor(finding: Finding, inspection?: PemInspectResult) {
    super(finding.message);
    this.name = 'BuildPfxError';
    this.code = finding.code;
    this.action = finding.action;
    if (inspection) this.inspection = inspection;
  }
}

export interface BuildPfxOptions extends PemInspectOptions {
  /** Defaults to the leaf's common name. */
  friendlyName?: string;
}

export interface BuiltPfx {
  pfx: Uint8Array;
  /** The inspection of the files (leaf, chain, key match, findings). */
  inspection: PemInspectResult;
}

/** Throws BuildPfxError (with the first error finding's code, message and action) when no PFX can be built. */
export async function buildPfxFromPem(
  files: PemFile[],
  password: string,
  options: BuildPfxOptions = {},
): Promise<BuiltPfx> {
  if (typeof password !== 'string' || password.length > KEY_VAULT_MAX_CHARS)
    throw new BuildPfxError({
      severity: 'error',
      code: 'password-too-long',
      message: `The PFX password must be text of at most ${KEY_VAULT_MAX_CHARS} characters (Key Vault's limit).`,
      action: 'Choose a shorter password.',
    });
  const m = await readPemMaterial(files, options);
  if (!m.result.pem.canBuildPfx || !m.leaf || !m.pkcs8) {
    const first = m.result.findings.find((f) => f.severity === 'error') ?? {
      severity: 'error' as const,
      code: 'no-private-key',
      message: 'No certificate with its private key was found in the files.',
      action: 'Choose the certificate file and its private key file.',
    };
    throw new BuildPfxError(first, m.result);
  }
  try {
    const pfx = writePfx({
      leaf: m.leaf,
      chain: m.issuers,
      pkcs8: m.pkcs8,
      password,
      ...(options.friendlyName ? { friendlyName: options.friendlyName } : {}),
    });
    return { pfx, inspection: m.result };
  } finally {
    m.pkcs8.fill(0);
  }
}
