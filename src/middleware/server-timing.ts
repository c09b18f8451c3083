// The onion made visible: with SERVER_TIMING on, every response says in a Server-Timing header how
// long each layer took by itself (its time minus the layers inside it) and how long the database took.
import type { Middleware, Next } from 'koa';
import { RequestTimings, currentTimings, runWithTimings } from '../core/request-timing.js';
import type { AppContext } from '../core/state.js';

/** Outermost layer: opens the request's timings and writes the header once everything inside is done. */
export function serverTiming() {
  return async function serverTiming(ctx: AppContext, next: Next) {
    const timings = new RequestTimings();
    const started = performance.now();
    await runWithTimings(timings, next);
    if (!ctx.headerSent) ctx.set('Server-Timing', timings.header(performance.now() - started));
  };
}

/** A metric name is an HTTP token: keep letters, digits and a few marks. */
function metricName(name: string, fallback: string): string {
  const cleaned = name.replace(/[^\w.-]/g, '');
  return cleaned || fallback;
}

/** Wraps one layer so its self time is added to the request's timings under `name`. */
function timedLayer<S>(name: string, layer: Middleware<S>): Middleware<S> {
  return async function timed(ctx, next) {
    const timings = currentTimings();
    if (!timings) return layer(ctx, next);
    timings.addLayer(name, 0); // registers the layer now, so the header lists layers outermost first
    const started = performance.now();
    let inner = 0;
    try {
      return await layer(ctx, async () => {
        const innerStarted = performance.now();
        try {
          return await next();
        } finally {
          inner += performance.now() - innerStarted;
        }
      });
    } finally {
      timings.addLayer(name, performance.now() - started - inner);
    }
  };
}

/**
 * Names every layer after its function, unique within the onion. @koa/router's routes() and
 * allowedMethods() are anonymous (or "bound "): they become "router", "router2"….
 */
export function timedLayers<S>(layers: Middleware<S>[]): Middleware<S>[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    let name = metricName(layer.name.replace(/^bound\s*/, ''), 'router');
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name}${count}`;
    return timedLayer(name, layer);
  });
}
