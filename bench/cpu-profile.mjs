// Reads a V8 CPU profile (`node --cpu-prof`) and sums self time per function and per package, so the bench can say
// where a route's CPU goes, measured rather than guessed.
import { readFileSync } from 'node:fs';

/** The package (`@azure/identity`, `next`, `jose`, …), `app` for our own built code, or `node` for Node's internals. */
export function packageOf(url) {
  if (!url) return '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node';
  if (url.includes('/.next/')) return 'app';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

export function summariseProfile(file, { top = 15 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  }
  const fns = new Map();
  const pkgs = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const { functionName, url, lineNumber } = n.callFrame;
    total += us;
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') {
      if (functionName === '(idle)') idle += us;
      const k = functionName;
      pkgs.set(k, (pkgs.get(k) ?? 0) + us);
      continue;
    }
    const pkg = packageOf(url);
    const where = url.startsWith('node:') ? url.replace(/^node:(internal\/)?/, 'node:') : pkg;
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    functions: sorted(fns)
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000 })),
    packages: sorted(pkgs)
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000 })),
  };
}
