/** Server-side context every lib/azure call takes (the browser-facing shapes live in lib/api/types.ts). */
import type { TokenCredential } from '@azure/core-auth';
import type { ServerConfig } from '@/lib/config';
import type { Principal } from '@/lib/auth/validate-token';

export interface AzureContext {
  credential: TokenCredential;
  config: ServerConfig;
  /** The signed-in user's UPN: the advice after a refusal names it in its command. */
  upn?: string;
}

/** Who asked, for the audit line every change writes. */
export interface AuditInfo {
  user: Principal;
  requestId: string;
}
