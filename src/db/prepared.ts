// Kysely builds and compiles a query on every call, which for the article list costs more than
// running it (docs/decisions/20-prepared-queries.md). prepared() builds a query once per shape and
// dialect, with a marker in place of each argument, and from then on only puts the arguments where
// the markers were.
//
// The rule for a build function: it may branch only on whether an argument is undefined (that is
// the shape, along with the length of any array argument), and must pass arguments to Kysely as they
// are. Both are checked when a shape is first compiled: a marker that was transformed (lower-cased,
// escaped) or inlined into the SQL text throws, so a mistake fails on the first request, in tests.
import type { CompiledQuery, Compilable, QueryResult } from 'kysely';
import type { Db } from './database.js';

type Args = Record<string, unknown>;

interface Shape<R> {
  compiled: CompiledQuery<R>;
  /** For each parameter: where its value comes from in the arguments, or undefined when constant. */
  sources: ({ name: string; index?: number } | undefined)[];
}

// Mixed case and LIKE's wildcards, so lower-casing or escaping a marker visibly breaks it; NUL, which no constant of ours holds.
const MARK = '\u0000Quire_Arg%';
const marker = (name: string, index?: number) => `${MARK}${name}${index === undefined ? '' : `\u0000${index}`}${MARK}`;

function markersFor(args: Args): Args {
  const out: Args = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) out[name] = undefined;
    else if (Array.isArray(value)) out[name] = value.map((_, i) => marker(name, i));
    else out[name] = marker(name);
  }
  return out;
}

function shapeKey(args: Args): string {
  return Object.entries(args).map(([name, value]) => (value === undefined ? `${name}:-` : Array.isArray(value) ? `${name}:${value.length}` : name)).join(',');
}

function sourceOf(parameter: unknown): Shape<unknown>['sources'][number] {
  if (typeof parameter !== 'string' || !parameter.includes('\u0000')) return undefined;
  const match = new RegExp(`^${MARK}([^\\u0000]+)(?:\\u0000(\\d+))?${MARK}$`).exec(parameter);
  if (!match) throw new Error(`prepared(): an argument was changed before it reached Kysely (${JSON.stringify(parameter)}); pass it ready-made`);
  return { name: match[1]!, index: match[2] === undefined ? undefined : Number(match[2]) };
}

/** A query built once per shape and dialect; call it with the database (or a transaction) and the arguments. */
export function prepared<A extends Args, R>(build: (db: Db, args: A) => Compilable<R>): (db: Db, args: A) => Promise<QueryResult<R>> {
  const shapes = new Map<unknown, Map<string, Shape<R>>>();
  return (db, args) => {
    // One compiled form per dialect: a transaction shares its database's adapter.
    const adapter = db.getExecutor().adapter.constructor;
    let byKey = shapes.get(adapter);
    if (!byKey) shapes.set(adapter, (byKey = new Map()));
    const key = shapeKey(args);
    let shape = byKey.get(key);
    if (!shape) {
      const compiled = build(db, markersFor(args) as A).compile();
      if (compiled.sql.includes('\u0000')) throw new Error('prepared(): an argument was written into the SQL text; pass it as a value');
      shape = { compiled, sources: compiled.parameters.map(sourceOf) };
      byKey.set(key, shape);
    }
    const { compiled, sources } = shape;
    const parameters = compiled.parameters.map((constant, i) => {
      const source = sources[i];
      if (!source) return constant;
      const value = args[source.name];
      return source.index === undefined ? value : (value as unknown[])[source.index];
    });
    return db.executeQuery({ ...compiled, parameters });
  };
}
