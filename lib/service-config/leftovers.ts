/** What Cloud Services (extended support) rejects and the classic service allowed: the remote desktop plugins. */
import { readServiceFile } from './read';
import { REMOTE_ACCESS_CERTIFICATE, type ServiceIssue } from './issues';

const REMOTE_MODULES: Record<string, string> = {
  remoteaccess: 'remote-access-import',
  remoteforwarder: 'remote-forwarder-import',
};

/** Flag what Cloud Services (extended support) rejects: the RemoteAccess/RemoteForwarder plugins, their settings and
 * the RemoteAccess PasswordEncryption certificate. Works on a .cscfg or a .csdef. */
export function findCsesLeftovers(text: string): ServiceIssue[] {
  const info = readServiceFile(text);
  const file = info.kind;
  const issues: ServiceIssue[] = [];
  const rdpAction =
    'Remove it: Cloud Services (extended support) does not support the RemoteAccess/RemoteForwarder plugins; use the RDP extension instead.';
  for (const r of info.roles) {
    for (const im of r.imports) {
      const code = REMOTE_MODULES[im.moduleName.toLowerCase()];
      if (code) {
        issues.push({
          severity: 'error',
          code,
          message: `Role "${r.name}" imports the ${im.moduleName} plugin.`,
          action: `${rdpAction} Delete <Import moduleName="${im.moduleName}" /> from the .csdef and rebuild the package.`,
          role: r.name,
          file,
          line: im.line,
          column: im.column,
        });
      }
    }
    for (const s of r.settings) {
      if (/^Microsoft\.WindowsAzure\.Plugins\.Remote(Access|Forwarder)\./i.test(s.name)) {
        issues.push({
          severity: 'error',
          code: 'remote-access-setting',
          message: `Role "${r.name}" has the setting "${s.name}" of the remote desktop plugins.`,
          action: `${rdpAction} Delete the <Setting name="${s.name}" …/>.`,
          role: r.name,
          file,
          line: s.line,
          column: s.column,
        });
      }
    }
    for (const c of r.certificates) {
      if (c.name.toLowerCase() === REMOTE_ACCESS_CERTIFICATE.toLowerCase()) {
        issues.push({
          severity: 'error',
          code: 'remote-access-certificate',
          message: `Role "${r.name}" has the RemoteAccess plugin certificate "${c.name}".`,
          action: `${rdpAction} Delete this <Certificate> from the .cscfg and the .csdef.`,
          role: r.name,
          certificate: c.name,
          file,
          line: c.line,
          column: c.column,
        });
      }
    }
  }
  return issues;
}
