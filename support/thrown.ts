// The error a call throws or rejects with, for tests that look at the error itself (its code, its class).
export async function thrown<E extends Error = Error & { code?: unknown; errno?: unknown; sqlMessage?: unknown; cause?: unknown }>(fn: () => unknown): Promise<E> {
  try {
    await fn();
  } catch (err) {
    return err as E;
  }
  throw new Error('nothing was thrown');
}
