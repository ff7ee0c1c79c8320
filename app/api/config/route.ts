import { withPublic } from '@/lib/api/handler';
import { publicAuthConfig } from '@/lib/auth/public-config';

// GET /api/config – sign-in settings for the browser (mode, client id, authority, API scope)
export const GET = withPublic({}, async ({ config }) => publicAuthConfig(config));
