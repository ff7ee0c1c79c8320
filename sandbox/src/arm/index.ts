import { notImplemented } from '../errors.js';
import type { Ctx } from '../http.js';
import { authenticate } from './auth.js';
import { finishDuePurges } from './deleted-vaults.js';
import type { ArmDeps } from './request.js';
import { armRoutes } from './routes.js';

export type { ArmCaller, ArmDeps } from './request.js';

/** ARM on `localhost:{port}`: authentication first (as ARM does), then the route table, then a strict 501. */
export class Arm {
  constructor(private readonly d: ArmDeps) {}

  /** True when the path is an ARM path (answered, or refused as not emulated); false for other areas. */
  static owns(pathname: string): boolean {
    return /^\/(subscriptions|providers)(\/|$)/i.test(pathname);
  }

  async handle(ctx: Ctx): Promise<void> {
    const caller = await authenticate(this.d, ctx);
    finishDuePurges(this.d);
    if (!(await armRoutes.dispatch(ctx.method, ctx.pathname, { d: this.d, ctx, caller })))
      throw notImplemented(ctx.method, ctx.pathname);
  }
}
