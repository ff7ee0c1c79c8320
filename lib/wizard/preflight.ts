/**
 * Preflight for Cloud Services (extended support): everything CSES checks at deployment time, checked now.
 * Pure: the vault and certificate as the API returns them, the cloud service's subscription and region, and "now".
 */
import type { CertificateSummary, VaultSummary } from '@/lib/api/types';
import { sameRegion } from './regions';
import type { StepId } from './steps';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  id:
    | 'subscription'
    | 'region'
    | 'deployment-flag'
    | 'exportable'
    | 'content-type'
    | 'validity'
    | 'key-size'
    | 'signature';
  label: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warn/fail; empty on pass. */
  fix: string;
  /** The wizard step where the fix happens, when there is one. */
  fixStep?: StepId;
}

const DAY = 86_400_000;

export function preflightChecks(
  vault: VaultSummary,
  cert: CertificateSummary,
  target: { subscriptionId: string; location: string },
  now = new Date(),
): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const sameSub = vault.subscriptionId.toLowerCase() === target.subscriptionId.toLowerCase();
  checks.push({
    id: 'subscription',
    label: 'Same subscription as the cloud service',
    status: sameSub ? 'pass' : 'fail',
    detail: sameSub
      ? `The vault is in subscription ${vault.subscriptionId}.`
      : `The vault is in subscription ${vault.subscriptionId}, the cloud service in ${target.subscriptionId}.`,
    fix: sameSub
      ? ''
      : 'Cloud Services (extended support) refuses vaults in another subscription. Choose or create a vault in the cloud service’s subscription.',
    ...(sameSub ? {} : { fixStep: 'vault' as const }),
  });
  const inRegion = sameRegion(vault.location, target.location);
  checks.push({
    id: 'region',
    label: 'Same region as the cloud service',
    status: inRegion ? 'pass' : 'fail',
    detail: inRegion
      ? `Both are in ${vault.location}.`
      : `The vault is in ${vault.location}, the cloud service in ${target.location}.`,
    fix: inRegion
      ? ''
      : `Key Vault is regional and CSES reads only from a vault in its own region. Create a vault in ${target.location} and import the certificate there, or copy it there (below).`,
    ...(inRegion ? {} : { fixStep: 'vault' as const }),
  });
  checks.push({
    id: 'deployment-flag',
    label: 'Azure Virtual Machines for deployment',
    status: vault.enabledForDeployment ? 'pass' : 'fail',
    detail: vault.enabledForDeployment
      ? 'Enabled on the vault.'
      : 'Disabled: the platform cannot read the certificate.',
    fix: vault.enabledForDeployment ? '' : 'Turn on “Azure Virtual Machines for deployment” in Access configuration.',
    ...(vault.enabledForDeployment ? {} : { fixStep: 'access' as const }),
  });
  checks.push({
    id: 'exportable',
    label: 'Exportable private key',
    status: cert.exportable === true ? 'pass' : cert.exportable === false ? 'fail' : 'warn',
    detail:
      cert.exportable === true
        ? 'The key is exportable.'
        : cert.exportable === false
          ? 'The key is not exportable: the secret the platform downloads has no private key.'
          : 'Key Vault did not report whether the key is exportable.',
    fix:
      cert.exportable === true
        ? ''
        : 'Import the PFX again (imported keys are exportable) or create the certificate with an exportable key.',
    ...(cert.exportable === true ? {} : { fixStep: 'certificate' as const }),
  });
  const pkcs12 = cert.contentType === 'application/x-pkcs12';
  checks.push({
    id: 'content-type',
    label: 'PKCS#12 content type',
    status: pkcs12 ? 'pass' : cert.contentType ? 'fail' : 'warn',
    detail: cert.contentType
      ? `Secret content type: ${cert.contentType}.`
      : 'Key Vault did not report the content type.',
    fix: pkcs12
      ? ''
      : 'CSES needs the secret as application/x-pkcs12 (PFX). Import a .pfx, or create the certificate with content type PKCS#12.',
    ...(pkcs12 ? {} : { fixStep: 'certificate' as const }),
  });
  const notAfter = cert.expiresOn ? new Date(cert.expiresOn) : null;
  const notBefore = cert.notBefore ? new Date(cert.notBefore) : null;
  const days = notAfter ? Math.floor((notAfter.getTime() - now.getTime()) / DAY) : null;
  let validity: PreflightCheck;
  if (!notAfter || days === null) {
    validity = {
      id: 'validity',
      label: 'At least 30 days of validity',
      status: 'warn',
      detail: 'Key Vault did not report an expiry date.',
      fix: 'Check the certificate’s validity before deploying.',
    };
  } else if (notBefore && notBefore > now) {
    validity = {
      id: 'validity',
      label: 'At least 30 days of validity',
      status: 'fail',
      detail: `Not valid before ${notBefore.toISOString().slice(0, 10)}.`,
      fix: 'Wait until the certificate is valid, or import one that is valid now.',
      fixStep: 'certificate',
    };
  } else if (days < 0) {
    validity = {
      id: 'validity',
      label: 'At least 30 days of validity',
      status: 'fail',
      detail: `Expired on ${notAfter.toISOString().slice(0, 10)}.`,
      fix: 'Import a renewed certificate as a new version.',
      fixStep: 'versions',
    };
  } else if (days < 30) {
    validity = {
      id: 'validity',
      label: 'At least 30 days of validity',
      status: 'warn',
      detail: `Expires in ${days} days (${notAfter.toISOString().slice(0, 10)}).`,
      fix: 'Renew it now and import the renewal as a new version.',
      fixStep: 'versions',
    };
  } else {
    validity = {
      id: 'validity',
      label: 'At least 30 days of validity',
      status: 'pass',
      detail: `Valid for ${days} more days (until ${notAfter.toISOString().slice(0, 10)}).`,
      fix: '',
    };
  }
  checks.push(validity);
  let key: PreflightCheck;
  if (cert.keyType === 'RSA' && cert.keySize) {
    key =
      cert.keySize >= 2048
        ? { id: 'key-size', label: 'Key type and size', status: 'pass', detail: `RSA ${cert.keySize} bits.`, fix: '' }
        : {
            id: 'key-size',
            label: 'Key type and size',
            status: 'fail',
            detail: `RSA ${cert.keySize} bits is too weak.`,
            fix: 'Issue a certificate with an RSA key of at least 2048 bits.',
            fixStep: 'certificate',
          };
  } else if (cert.keyType === 'EC') {
    key = {
      id: 'key-size',
      label: 'Key type and size',
      status: 'warn',
      detail: `EC ${cert.curve ?? ''} key.`.replace('  ', ' '),
      fix: 'EC keys work for TLS on current guest OS families, but Remote Desktop and older applications need RSA. Use RSA 2048+ if unsure.',
    };
  } else {
    key = {
      id: 'key-size',
      label: 'Key type and size',
      status: 'warn',
      detail: 'The key type could not be read.',
      fix: 'Check that the certificate has an RSA key of at least 2048 bits.',
    };
  }
  checks.push(key);
  const alg = (cert.signatureAlgorithm ?? '').toLowerCase();
  const weak = /sha1|md5|md2/.test(alg);
  checks.push(
    !alg
      ? {
          id: 'signature',
          label: 'Signature algorithm',
          status: 'warn',
          detail: 'The signature algorithm could not be read.',
          fix: 'Check that the certificate is signed with SHA-256 or stronger.',
        }
      : weak
        ? {
            id: 'signature',
            label: 'Signature algorithm',
            status: 'fail',
            detail: `Signed with ${cert.signatureAlgorithm}.`,
            fix: 'SHA-1 and MD5 signatures are rejected by browsers and clients. Reissue the certificate with SHA-256.',
            fixStep: 'certificate',
          }
        : {
            id: 'signature',
            label: 'Signature algorithm',
            status: 'pass',
            detail: `Signed with ${cert.signatureAlgorithm}.`,
            fix: '',
          },
  );
  return checks;
}

export function preflightVerdict(checks: PreflightCheck[]): CheckStatus {
  return checks.some((c) => c.status === 'fail') ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
}
