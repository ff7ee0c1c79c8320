import FindMyWay from 'find-my-way';

/**
 * The sandbox's route tables: method + path pattern → handler, matched by find-my-way (the radix-tree router Fastify
 * uses; decision 024). Patterns use `:name` parameters; a parameter may be empty (`/certificates//create`), which
 * the handlers answer as Azure does. Every area (identity, ARM, Key Vault, control) has its own table; a request
 * that no table routes is answered 501 NotImplemented by the server, never guessed at.
 */
export type Params = Record<string, string>;

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface Route<R> {
  method: HttpMethod;
  /** find-my-way pattern, e.g. `/certificates/:name/pending/merge` */
  path: string;
  handle: (r: R, params: Params) => Promise<unknown> | unknown;
}

export function route<R>(method: HttpMethod, path: string, handle: Route<R>['handle']): Route<R> {
  return { method, path, handle };
}

export interface RouteTableOptions {
  /** ARM treats path segments case-insensitively; parameter values keep their case either way. */
  caseSensitive?: boolean;
  /** ARM's SDKs send `//` for an empty `parentResourcePath`. */
  ignoreDuplicateSlashes?: boolean;
}

export class RouteTable<R> {
  private readonly router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  readonly routes: Route<R>[] = [];

  constructor(opts: RouteTableOptions = {}) {
    this.router = FindMyWay({
      caseSensitive: opts.caseSensitive ?? true,
      ignoreDuplicateSlashes: opts.ignoreDuplicateSlashes ?? false,
      ignoreTrailingSlash: false,
      // Key Vault object names go up to 127 characters, ARM scopes are long: well above find-my-way's default 100.
      maxParamLength: 1024,
    });
  }

  add(routes: Route<R>[]): this {
    for (const r of routes) {
      this.router.on(r.method, r.path, () => undefined, r);
      this.routes.push(r);
    }
    return this;
  }

  /** The route for a request, or undefined. `pathname` is the raw (still percent-encoded) path. */
  find(method: string, pathname: string): { route: Route<R>; params: Params } | undefined {
    const found = this.router.find(method as FindMyWay.HTTPMethod, pathname);
    if (!found) return undefined;
    const params: Params = {};
    for (const [k, v] of Object.entries(found.params)) params[k] = v ?? '';
    return { route: found.store as Route<R>, params };
  }

  async dispatch(method: string, pathname: string, r: R): Promise<boolean> {
    const hit = this.find(method, pathname);
    if (!hit) return false;
    await hit.route.handle(r, hit.params);
    return true;
  }
}

/** True when every path segment is valid percent-encoding (find-my-way treats a malformed one as "no route"). */
export function wellEncoded(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
