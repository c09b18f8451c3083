// Where one request's time went, for the Server-Timing header: self time per onion layer and time
// in the database. The current request is found through AsyncLocalStorage, so the database layer
// can record a query without knowing about requests.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

export class RequestTimings {
  readonly layers = new Map<string, number>();
  dbMs = 0;
  dbQueries = 0;

  addLayer(name: string, ms: number): void {
    this.layers.set(name, (this.layers.get(name) ?? 0) + ms);
  }

  /** The Server-Timing value: one metric per layer, then db and total. */
  header(totalMs: number): string {
    const metrics = [...this.layers].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
    metrics.push(`db;dur=${this.dbMs.toFixed(2)};desc="${this.dbQueries} ${this.dbQueries === 1 ? 'query' : 'queries'}"`);
    metrics.push(`total;dur=${totalMs.toFixed(2)}`);
    return metrics.join(', ');
  }
}

const storage = new AsyncLocalStorage<RequestTimings>();

export function runWithTimings<T>(timings: RequestTimings, work: () => Promise<T>): Promise<T> {
  return storage.run(timings, work);
}

export function currentTimings(): RequestTimings | undefined {
  return storage.getStore();
}

/** Kysely's `log` hook: adds each query's duration to the current request, if any. */
export function recordQuery(event: LogEvent): void {
  const timings = storage.getStore();
  if (!timings) return;
  timings.dbMs += event.queryDurationMillis;
  timings.dbQueries += 1;
}
