/**
 * A value loaded on first use and shared by every caller after; a failed load is forgotten, so
 * the next caller tries again (a settings file fixed, a folder created, a server back up).
 */
export function lazyOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}
