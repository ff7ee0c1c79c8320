/** A .cscfg against its .csdef: service name, roles, certificate names per role, endpoint certificates, duplicates. */
import { readServiceFile, type RoleInfo, type ServiceFileInfo } from './read';
import { REMOTE_ACCESS_CERTIFICATE, type ServiceIssue } from './issues';

export interface ConsistencyResult {
  ok: boolean;
  issues: ServiceIssue[];
  roles: Array<{
    role: string;
    inCscfg: boolean;
    inCsdef: boolean;
    certificates: Array<{ name: string; inCscfg: boolean; inCsdef: boolean }>;
  }>;
}

function dupes(names: string[]): string[] {
  const seen = new Set<string>();
  const d = new Set<string>();
  for (const n of names) (seen.has(n) ? d : seen).add(n);
  return [...d];
}

function duplicateIssues(info: ServiceFileInfo): ServiceIssue[] {
  const issues: ServiceIssue[] = [];
  const file = info.kind;
  for (const d of dupes(info.roles.map((r) => r.name))) {
    issues.push({
      severity: 'error',
      code: 'duplicate-role',
      message: `Role "${d}" appears more than once in the .${file}.`,
      action: 'Keep one role element per role name.',
      role: d,
      file,
    });
  }
  for (const r of info.roles) {
    for (const d of dupes(r.certificates.map((c) => c.name))) {
      issues.push({
        severity: 'error',
        code: 'duplicate-certificate',
        message: `Certificate "${d}" appears more than once in role "${r.name}" of the .${file}.`,
        action: 'Keep one <Certificate> per name in each role.',
        role: r.name,
        certificate: d,
        file,
      });
    }
  }
  return issues;
}

/** Compare a .cscfg with its .csdef: service name, role sets, certificate names per role, https endpoints. */
export function checkServiceConsistency(cscfgText: string, csdefText: string): ConsistencyResult {
  const cfg = readServiceFile(cscfgText, 'cscfg');
  const def = readServiceFile(csdefText, 'csdef');
  const issues: ServiceIssue[] = [...duplicateIssues(cfg), ...duplicateIssues(def)];
  if (cfg.serviceName !== null && def.serviceName !== null && cfg.serviceName !== def.serviceName) {
    issues.push({
      severity: 'error',
      code: 'service-name-mismatch',
      message: `The .cscfg serviceName "${cfg.serviceName}" differs from the .csdef name "${def.serviceName}".`,
      action: 'Use the same service name in both files (ServiceConfiguration@serviceName = ServiceDefinition@name).',
    });
  }
  const cfgRoles = new Map<string, RoleInfo>(cfg.roles.map((r) => [r.name, r]));
  const defRoles = new Map<string, RoleInfo>(def.roles.map((r) => [r.name, r]));
  const names = [...new Set([...cfgRoles.keys(), ...defRoles.keys()])];
  const roles: ConsistencyResult['roles'] = [];
  for (const name of names) {
    const c = cfgRoles.get(name);
    const d = defRoles.get(name);
    if (c && !d) {
      issues.push({
        severity: 'error',
        code: 'role-missing-in-csdef',
        message: `Role "${name}" is in the .cscfg but not in the .csdef.`,
        action:
          'Remove the role from the .cscfg or add it to the .csdef (and rebuild the package); role names must match exactly.',
        role: name,
        file: 'cscfg',
        line: c.line,
        column: c.column,
      });
    }
    if (d && !c) {
      issues.push({
        severity: 'error',
        code: 'role-missing-in-cscfg',
        message: `Role "${name}" is in the .csdef but not in the .cscfg.`,
        action: 'Add a <Role> with that name (and its <Instances>) to the .cscfg.',
        role: name,
        file: 'csdef',
        line: d.line,
        column: d.column,
      });
    }
    const certNames = [...new Set([...(c?.certificates ?? []), ...(d?.certificates ?? [])].map((x) => x.name))];
    const certs: ConsistencyResult['roles'][number]['certificates'] = [];
    for (const cert of certNames) {
      const inC = c?.certificates.find((x) => x.name === cert);
      const inD = d?.certificates.find((x) => x.name === cert);
      certs.push({ name: cert, inCscfg: !!inC, inCsdef: !!inD });
      // Like the Az.CloudService validator, skip the RemoteAccess certificate here: findCsesLeftovers reports it.
      if (!c || !d || cert.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase()) continue;
      if (inC && !inD) {
        issues.push({
          severity: 'error',
          code: 'certificate-missing-in-csdef',
          message: `Certificate "${cert}" of role "${name}" is in the .cscfg but not defined in the .csdef.`,
          action: `Add <Certificate name="${cert}" storeLocation="LocalMachine" storeName="My" /> to the role in the .csdef (and rebuild the package), or remove it from the .cscfg.`,
          role: name,
          certificate: cert,
          file: 'cscfg',
          line: inC.line,
          column: inC.column,
        });
      }
      if (inD && !inC) {
        issues.push({
          severity: 'error',
          code: 'certificate-missing-in-cscfg',
          message: `Certificate "${cert}" of role "${name}" is defined in the .csdef but has no thumbprint in the .cscfg.`,
          action: `Add <Certificate name="${cert}" thumbprint="…" thumbprintAlgorithm="sha1" /> to the role in the .cscfg.`,
          role: name,
          certificate: cert,
          file: 'csdef',
          line: inD.line,
          column: inD.column,
        });
      }
    }
    if (d) {
      for (const ep of d.endpoints) {
        if (ep.certificate && !d.certificates.some((x) => x.name === ep.certificate)) {
          issues.push({
            severity: 'error',
            code: 'endpoint-certificate-undefined',
            message: `Endpoint "${ep.name}" of role "${name}" uses certificate "${ep.certificate}", which the role's <Certificates> in the .csdef does not define.`,
            action: `Add <Certificate name="${ep.certificate}" storeLocation="LocalMachine" storeName="My" /> to the role's <Certificates> in the .csdef.`,
            role: name,
            certificate: ep.certificate,
            file: 'csdef',
            line: ep.line,
            column: ep.column,
          });
        }
      }
    }
    roles.push({ role: name, inCscfg: !!c, inCsdef: !!d, certificates: certs });
  }
  return { ok: !issues.some((i) => i.severity === 'error'), issues, roles };
}
