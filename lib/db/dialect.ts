/** Whether a Kysely handle (or a transaction of it) talks to PostgreSQL; otherwise it is SQLite. */
export function isPostgresDb(db: { getExecutor(): { adapter: object } }): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}
