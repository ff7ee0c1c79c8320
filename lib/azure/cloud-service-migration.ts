import 'server-only';
import { certificateInfo, type CertInfo } from '@/lib/certs';
import {
  isParsed,
  knownVersions,
  parseSecretUrl,
  serviceReport,
  type CertificateDetails,
  type MigrationSource,
  type Problem,
  type ServiceFacts,
} from '@/lib/cloud-services';
import { certificateOfPfxSecret, collectFacts, mapLimit, problemOf } from './cloud-service-facts';
import { getCloudService, toLiveService, type CloudServiceRef } from './cloud-services';
import { certificateClient, secretClient } from './clients';
import type { AzureContext } from './types';

/**
 * What the Migrate tab and `cses-cert migrate` plan from (issue 15): the live service, the facts of its vaults, and
 * for the version each .cscfg certificate would carry, what the certificate itself says (key, signature, subject) —
 * read from the Key Vault certificate (its public DER), or for a plain PKCS#12 secret from the secret value, which is
 * inspected in memory and zeroed; no key or PFX leaves this function.
 */
const PARALLEL = 16;

const commonNameOf = (subject: string) =>
  /(?:^|,\s*)CN=((?:\\.|[^,])+)/.exec(subject)?.[1]?.replace(/\\(.)/g, '$1') ?? null;

function detailsOf(url: string, info: CertInfo): CertificateDetails {
  return {
    url,
    thumbprint: info.thumbprint,
    subject: info.subject,
    commonName: commonNameOf(info.subject),
    issuer: info.issuer,
    selfSigned: info.selfSigned,
    keyType: info.publicKey.type,
    keyBits: info.publicKey.bits ?? null,
    signatureAlgorithm: info.signatureAlgorithm,
    notAfter: info.notAfter,
  };
}

/** The versioned URLs the rows of the service would carry: the pinned version, or the one with the .cscfg thumbprint. */
function carriedUrls(service: MigrationSource['service'], facts: ServiceFacts): string[] {
  const report = serviceReport(service, facts);
  return [
    ...new Set(
      report.rows
        .map((r) => r.entry?.certificateUrl ?? r.repair?.secretUrl ?? null)
        .filter((u): u is string => u !== null),
    ),
  ];
}

async function readDetails(
  ctx: AzureContext,
  url: string,
  facts: ServiceFacts,
  pfxCertificates: Map<string, CertInfo>,
): Promise<{ details?: CertificateDetails; problem?: Problem }> {
  const read = pfxCertificates.get(url);
  if (read) return { details: detailsOf(url, read) };
  const p = parseSecretUrl(url);
  if (!isParsed(p)) return { problem: p.problem };
  const origin = `https://${p.host}`;
  const known = knownVersions(facts).find(
    (v) => v.name === p.name && v.version.toLowerCase() === p.version.toLowerCase(),
  );
  const plain = known?.certificateBacked === false;
  try {
    if (!plain) {
      const c = await certificateClient(ctx.credential, ctx.config, origin).getCertificateVersion(p.name, p.version);
      if (!c.cer) return { problem: { code: 'NoCertificate', message: `${p.name} has no certificate.`, action: '' } };
      return { details: detailsOf(url, certificateInfo(c.cer)) };
    }
    const secret = await secretClient(ctx.credential, ctx.config, origin).getSecret(p.name, { version: p.version });
    const leaf = await certificateOfPfxSecret(secret.value);
    return leaf
      ? { details: detailsOf(url, leaf) }
      : {
          problem: {
            code: 'NotPkcs12',
            message: `${p.name} in ${p.vaultName} holds no certificate that could be read.`,
            action: 'Import the PFX as a Key Vault certificate.',
          },
        };
  } catch (error) {
    return { problem: problemOf(ctx, error, plain ? 'get-secret' : 'get-certificate', p.vaultName, p.name) };
  }
}

export async function migrationSource(ctx: AzureContext, ref: CloudServiceRef): Promise<MigrationSource> {
  const service = toLiveService(await getCloudService(ctx, ref));
  return migrationSourceOf(ctx, service);
}

export async function migrationSourceOf(
  ctx: AzureContext,
  service: MigrationSource['service'],
): Promise<MigrationSource> {
  const pfxCertificates = new Map<string, CertInfo>();
  const facts = await collectFacts(ctx, [service], { pfxCertificates });
  const urls = carriedUrls(service, facts);
  const read = await mapLimit(urls, PARALLEL, (url) => readDetails(ctx, url, facts, pfxCertificates));
  return {
    service,
    facts,
    details: read.flatMap((r) => (r.details ? [r.details] : [])),
    unreadable: read.flatMap((r, i) => (r.problem ? [{ url: urls[i]!, problem: r.problem }] : [])),
  };
}
