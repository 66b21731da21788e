/**
 * Next calls register() once per server start, before it serves requests. Only the Node.js runtime
 * opens the database (NEXT_RUNTIME is Next's own build-time marker, not a Portico setting).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startup } = await import('./lib/demo/startup');
  await startup();
}
