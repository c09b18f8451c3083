// JSON API for an account's own lifecycle (our extension; docs/api.md): its data exported, and the
// account deleted with its password.
import { Router } from '@koa/router';
import { z } from 'zod';
import { requireUser, type RequestState } from '../core/state.js';
import { parseBody, text } from '../core/validation.js';
import type { AppDeps } from '../runtime/deps.js';
import { deleteOwnAccount, exportAccount } from './account.service.js';

const confirmInput = z.object({ password: text().min(1, "can't be blank") });

export function accountRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/user/export', async (ctx) => {
    ctx.body = { export: await exportAccount(db, requireUser(ctx)) };
  });

  // A POST, not a DELETE: the password rides in the body, which clients and parsers drop from DELETEs.
  router.post('/user/delete', async (ctx) => {
    const user = requireUser(ctx);
    const { password } = parseBody(confirmInput, ctx.request.body, 'user');
    await deleteOwnAccount(db, user, password);
    ctx.status = 204;
  });

  return router;
}
