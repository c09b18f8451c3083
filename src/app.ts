// createApp(deps): the whole Koa onion, in order. Listening happens in bin/www.ts only, so tests
// can mount app.callback() on port 0.
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { apiRouter } from './api.js';
import { errorHandler } from './middleware/error-handler.js';
import { forwardedHeaders } from './middleware/forwarded.js';
import { requestId } from './middleware/request-id.js';
import { health } from './middleware/health.js';
import type { AppDeps, RequestState } from './platform/state.js';

export function createApp(deps: AppDeps): Koa<RequestState> {
  const { config, logger } = deps;
  const app = new Koa<RequestState>({ proxy: config.TRUST_PROXY.length > 0 });
  app.silent = true; // errors are logged by errorHandler, with the request id

  const api = apiRouter(deps);
  const layers = [
    // Drop X-Forwarded-* from anyone but a trusted proxy, before anything reads ctx.ip.
    forwardedHeaders(config.TRUST_PROXY),
    // An id for every request, so the error handler can name it.
    requestId(),
    // Outermost catcher: everything below throws, this answers.
    errorHandler({ logger }),
    // Liveness for pm2, nginx and load balancers: 200 when the database answers, else 503.
    health(deps.database),
    // JSON and form bodies, limited to BODY_LIMIT (413 above it, 400 on malformed JSON).
    bodyParser({ jsonLimit: config.bodyLimitBytes, formLimit: config.bodyLimitBytes, enableTypes: ['json', 'form'] }),
    // The RealWorld API.
    api.routes(),
    api.allowedMethods(),
  ];
  for (const layer of layers) app.use(layer as Koa.Middleware<RequestState>);
  return app;
}
