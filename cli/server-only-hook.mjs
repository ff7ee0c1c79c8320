// Node resolve hook for the command line: `server-only` guards server modules against client bundles and throws
// anywhere but a React Server environment. The CLI is a server environment, so it resolves it under the condition
// React servers use (its no-op entry), as Next's server build does.
export async function resolve(specifier, context, next) {
  if (specifier === 'server-only')
    return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
  return next(specifier, context);
}
