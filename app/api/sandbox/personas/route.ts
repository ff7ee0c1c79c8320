import { withPublic } from '@/lib/api/handler';
import { listPersonas } from '@/lib/auth/sandbox-sign-in';

// GET /api/sandbox/personas – the sandbox's personas (names and descriptions, no passwords)
export const GET = withPublic({}, async ({ config }) => ({ personas: listPersonas(config) }));
