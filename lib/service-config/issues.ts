/** What the checks report: one problem in the service files, with where it is and what to do. */

export interface ServiceIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  action: string;
  role?: string;
  certificate?: string;
  file?: 'cscfg' | 'csdef';
  line?: number;
  column?: number;
}

/** The RemoteAccess plugin's certificate: has to be removed for CSES, so it is reported as a leftover, never looked up. */
export const REMOTE_ACCESS_CERTIFICATE = 'Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption';
