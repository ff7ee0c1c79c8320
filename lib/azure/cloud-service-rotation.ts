import 'server-only';
import type {
  ApplyRequest,
  ApplyResponse,
  CloudServiceDetail,
  CloudServiceList,
  CloudServiceOperation,
  RepointPlanRequest,
  RotationPlanRequest,
  RotationPlanResponse,
  VaultRef,
} from '@/lib/api/types';
import {
  compareByExpiry,
  planRepoint,
  planRollback,
  planRotation,
  PlanError,
  serviceReport,
  type LiveService,
  type RollbackRecord,
  type RotationPlan,
  type ServiceFacts,
  type ServiceRights,
} from '@/lib/cloud-services';
import { AppError } from '@/lib/errors';
import { audit } from '@/lib/log';
import { renderServiceUpdates } from '@/lib/snippets';
import { collectFacts, readRights } from './cloud-service-facts';
import {
  getCloudService,
  getCloudServiceOperation,
  listCloudServices,
  putCloudService,
  toLiveService,
  updateBody,
  type CloudServiceRef,
  type RawCloudService,
} from './cloud-services';
import { cloudServiceRefusal } from './errors';
import type { AuditInfo, AzureContext } from './types';
import { vaultForDataPlane } from './vaults';

/**
 * The "Cloud services" blade's operations: list with health, the service page, plan (rotation, repair, roll back),
 * apply on behalf of the user and follow it, and the exports. Each reads the live service fresh: nothing the browser
 * sends is trusted beyond which version to rotate to and the state it expects (its fingerprint).
 */

export async function listServices(
  ctx: AzureContext,
  subscriptionId: string,
  resourceGroup?: string,
  windowDays = 30,
): Promise<CloudServiceList> {
  const services = (await listCloudServices(ctx, subscriptionId, resourceGroup)).map(toLiveService);
  const facts = await collectFacts(ctx, services);
  const reports = services.map((s) => serviceReport(s, facts, { windowDays })).sort(compareByExpiry);
  return {
    windowDays,
    services: reports.map((r) => ({
      id: r.service.id,
      name: r.service.name,
      subscriptionId: r.service.subscriptionId,
      resourceGroup: r.service.resourceGroup,
      location: r.service.location,
      provisioningState: r.service.provisioningState,
      health: r.health,
      certificates: r.rows.length,
    })),
  };
}

const vaultIdsOf = (s: LiveService) => s.secrets.map((g) => g.sourceVault.id);

async function detailOf(ctx: AzureContext, raw: RawCloudService): Promise<CloudServiceDetail> {
  const service = toLiveService(raw);
  const [facts, rights] = await Promise.all([
    collectFacts(ctx, [service]),
    readRights(ctx, service, vaultIdsOf(service)),
  ]);
  const report = serviceReport(service, facts);
  const deploy = Object.values(rights.deploy);
  const canWrite =
    rights.write === false || deploy.includes(false)
      ? false
      : rights.write === true && !deploy.includes(null)
        ? true
        : null;
  return { report, rights, canWrite };
}

export async function serviceDetail(ctx: AzureContext, ref: CloudServiceRef): Promise<CloudServiceDetail> {
  return detailOf(ctx, await getCloudService(ctx, ref));
}

function planError(e: unknown): never {
  if (e instanceof PlanError) {
    throw new AppError({
      code: e.code === 'service-changed' ? 'conflict' : 'validation_failed',
      reason: e.code,
      message: e.message,
      action: e.action,
    });
  }
  throw e;
}

interface Planned {
  raw: RawCloudService;
  service: LiveService;
  plan: RotationPlan;
}

async function target(ctx: AzureContext, to: RotationPlanRequest['to']) {
  const vault = await vaultForDataPlane(ctx, to.vault satisfies VaultRef);
  const origin = vault.vaultUri.replace(/\/+$/, '');
  return { vault, url: `${origin}/secrets/${to.certificateName}/${to.version}` };
}

async function factsAndRights(
  ctx: AzureContext,
  service: LiveService,
  extra: Array<{ url: string; vaultId: string }>,
): Promise<{ facts: ServiceFacts; rights: ServiceRights }> {
  const [facts, rights] = await Promise.all([
    collectFacts(ctx, [service], { contentTypes: true, extraUrls: extra }),
    readRights(ctx, service, [...vaultIdsOf(service), ...extra.map((e) => e.vaultId)]),
  ]);
  return { facts, rights };
}

async function planRotate(ctx: AzureContext, ref: CloudServiceRef, req: RotationPlanRequest): Promise<Planned> {
  const [raw, { vault, url }] = await Promise.all([getCloudService(ctx, ref), target(ctx, req.to)]);
  const service = toLiveService(raw);
  const { facts, rights } = await factsAndRights(ctx, service, [{ url, vaultId: vault.id }]);
  const to = facts.secrets.find((s) => s.url === url);
  if (!to?.version) {
    throw new AppError({
      code: to?.read === 'forbidden' ? 'forbidden' : 'not_found',
      reason: to?.error?.code ?? 'VersionNotFound',
      message:
        to?.error?.message ?? `Version ${req.to.version} of ${req.to.certificateName} was not found in ${vault.name}.`,
      action: to?.error?.action ?? 'Import the renewed certificate again, or pick a version from the list.',
    });
  }
  try {
    const plan = planRotation({ service, from: req.from, to: { ...to.version, vaultId: vault.id }, facts, rights });
    return { raw, service, plan };
  } catch (e) {
    return planError(e);
  }
}

async function planMoves(ctx: AzureContext, ref: CloudServiceRef, req: RepointPlanRequest): Promise<Planned> {
  const [raw, targets] = await Promise.all([
    getCloudService(ctx, ref),
    Promise.all(req.moves.map((m) => target(ctx, m.to))),
  ]);
  const service = toLiveService(raw);
  const extra = targets.map((t) => ({ url: t.url, vaultId: t.vault.id }));
  const { facts, rights } = await factsAndRights(ctx, service, extra);
  const moves = req.moves.map((m, i) => {
    const t = targets[i]!;
    const to = facts.secrets.find((s) => s.url === t.url);
    if (!to?.version) {
      throw new AppError({
        code: to?.read === 'forbidden' ? 'forbidden' : 'not_found',
        reason: to?.error?.code ?? 'VersionNotFound',
        message:
          to?.error?.message ?? `Version ${m.to.version} of ${m.to.certificateName} was not found in ${t.vault.name}.`,
        action: to?.error?.action ?? 'Convert or copy the certificate again, then plan again.',
      });
    }
    return { from: m.from, to: { ...to.version, vaultId: t.vault.id } };
  });
  try {
    return { raw, service, plan: planRepoint({ service, moves, facts, rights }) };
  } catch (e) {
    return planError(e);
  }
}

/** Plan pointing osProfile entries at certificate versions with the same thumbprints (the .cscfg unchanged). */
export async function planServiceRepoint(
  ctx: AzureContext,
  ref: CloudServiceRef,
  req: RepointPlanRequest,
): Promise<RotationPlanResponse> {
  return withExports(ctx, await planMoves(ctx, ref, req));
}

type ChangeRequest =
  | { kind: 'rotate'; request: RotationPlanRequest }
  | { kind: 'repoint'; request: RepointPlanRequest }
  | { kind: 'rollback'; record: RollbackRecord };

function planChange(ctx: AzureContext, ref: CloudServiceRef, req: ChangeRequest): Promise<Planned> {
  return req.kind === 'rotate'
    ? planRotate(ctx, ref, req.request)
    : req.kind === 'repoint'
      ? planMoves(ctx, ref, req.request)
      : planBack(ctx, ref, req.record);
}

async function planBack(ctx: AzureContext, ref: CloudServiceRef, record: RollbackRecord): Promise<Planned> {
  const raw = await getCloudService(ctx, ref);
  const service = toLiveService(raw);
  const extra = record.secrets.flatMap((g) =>
    g.vaultCertificates.map((c) => ({ url: c.certificateUrl, vaultId: g.sourceVault.id })),
  );
  const { facts, rights } = await factsAndRights(ctx, service, extra);
  try {
    return { raw, service, plan: planRollback({ service, record, facts, rights }) };
  } catch (e) {
    return planError(e);
  }
}

function withExports(ctx: AzureContext, p: Planned): RotationPlanResponse {
  const body = updateBody(p.raw, p.plan.configuration.after, p.plan.secrets.after);
  const first = p.plan.secrets.after.find((g) => g.vaultCertificates.length > 0)!;
  const rotated =
    p.plan.secrets.after.find((g) => g.vaultCertificates.some((c) => c.certificateUrl === p.plan.to.url)) ?? first;
  const exports = p.plan.preflight.canExport
    ? renderServiceUpdates({
        vaultId: rotated.sourceVault.id,
        certificateUrl:
          rotated.vaultCertificates.find((c) => c.certificateUrl === p.plan.to.url)?.certificateUrl ??
          rotated.vaultCertificates[0]!.certificateUrl,
        serviceUpdate: {
          serviceId: p.service.id,
          body: body as Record<string, unknown>,
          armEndpoint: ctx.config.armEndpoint,
          description: p.plan.rollback.description,
        },
      })
    : [];
  return { plan: p.plan, exports: exports.map((e) => ({ kind: e.kind, fileName: e.fileName, text: e.text })) };
}

export async function planServiceRotation(
  ctx: AzureContext,
  ref: CloudServiceRef,
  req: RotationPlanRequest,
): Promise<RotationPlanResponse> {
  return withExports(ctx, await planRotate(ctx, ref, req));
}

export async function planServiceRollback(
  ctx: AzureContext,
  ref: CloudServiceRef,
  record: RollbackRecord,
): Promise<RotationPlanResponse> {
  return withExports(ctx, await planBack(ctx, ref, record));
}

/** The change as files for someone who may apply it (refused, like Apply, when the RP would refuse it). */
export async function exportServiceChange(
  ctx: AzureContext,
  ref: CloudServiceRef,
  req: ChangeRequest,
): Promise<{ exports: RotationPlanResponse['exports']; fingerprint: string }> {
  const p = await planChange(ctx, ref, req);
  const r = withExports(ctx, p);
  if (!p.plan.preflight.canExport) {
    const failing = p.plan.preflight.checks.find((c) => !c.ok && c.severity === 'error' && c.kind !== 'rights')!;
    throw new AppError({
      code: 'validation_failed',
      reason: failing.rpCode ?? failing.id,
      message: `Not exported: ${failing.message}`,
      action: failing.fix,
    });
  }
  return { exports: r.exports, fingerprint: p.plan.fingerprint.before };
}

/** Re-plans from the live service, refuses anything the preflight refuses, then sends the PUT on behalf of the user. */
export async function applyServicePlan(
  ctx: AzureContext,
  ref: CloudServiceRef,
  req: ApplyRequest,
  who: AuditInfo,
): Promise<ApplyResponse> {
  const p = await planChange(ctx, ref, req);
  if (p.plan.fingerprint.before !== req.expect) {
    throw new AppError({
      code: 'conflict',
      reason: 'ServiceChanged',
      message: 'The cloud service changed since this plan was made (someone deployed), so it was not sent.',
      action: 'Review the new plan: plan again, then apply. Your choices are kept.',
    });
  }
  const failing = p.plan.preflight.checks.find((c) => !c.ok && c.severity === 'error');
  if (failing) {
    throw new AppError({
      code: failing.kind === 'rights' ? 'forbidden' : 'validation_failed',
      reason: failing.rpCode ?? failing.id,
      message: `Not sent: ${failing.message}`,
      action: failing.kind === 'rights' ? `${failing.fix} Use Export to hand the change over.` : failing.fix,
    });
  }
  const body = updateBody(p.raw, p.plan.configuration.after, p.plan.secrets.after);
  const { operation } = await putCloudService(ctx, ref, body);
  audit(req.kind === 'rollback' ? 'cloudService.rollback.started' : 'cloudService.rotation.started', {
    requestId: who.requestId,
    oid: who.user.oid,
    upn: who.user.username,
    cloudService: p.service.id,
    kind: p.plan.kind,
    from: p.plan.from.thumbprint,
    to: p.plan.to.thumbprint,
    version: p.plan.to.version,
  });
  return { operation, rollback: p.plan.rollback, startedAt: new Date().toISOString() };
}

/** Follows the operation; once it is over, the service is read again. */
export async function serviceOperation(
  ctx: AzureContext,
  ref: CloudServiceRef,
  token: string,
): Promise<CloudServiceOperation> {
  const state = await getCloudServiceOperation(ctx, ref, token);
  if (state.status === 'InProgress') return { status: state.status, error: null };
  const detail = await serviceDetail(ctx, ref);
  if (state.status === 'Succeeded') return { status: state.status, error: null, detail };
  const refusal = cloudServiceRefusal(state.error?.code, state.error?.message ?? 'The update did not complete.');
  return {
    status: state.status,
    error: { code: refusal.code, reason: refusal.reason, message: refusal.message, action: refusal.action },
    detail,
  };
}
