import { z } from 'zod';
import { withPublic } from '@/lib/api/handler';
import { signInPersona } from '@/lib/auth/sandbox-sign-in';

// POST /api/sandbox/sign-in – sign a sandbox persona in; returns an access token for our API (decision 002)
export const POST = withPublic({ body: z.object({ username: z.string().min(3).max(200) }) }, async ({ config, body }) =>
  signInPersona(config, body.username),
);
