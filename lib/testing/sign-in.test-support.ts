/**
 * Test helper: a sandbox persona's access token for this app's API, from the app's own sandbox sign-in route (the one
 * the browser uses), for tests that drive the real route handlers against a sandbox process.
 */
export async function sandboxToken(username: string): Promise<string> {
  const { POST: signIn } = await import('@/app/api/sandbox/sign-in/route');
  const response = await signIn(
    new Request('http://localhost/api/sandbox/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    }),
    { params: Promise.resolve({}) },
  );
  if (response.status !== 200) throw new Error(`sandbox sign-in as ${username} answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
