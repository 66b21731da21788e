import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, WAL_AUTOCHECKPOINT_PAGES, type Db } from '../../lib/db';
import { sqliteHandleNow } from '../../lib/db/sqlite-direct';

/**
 * The connection settings openDb gives a SQLite database: write-ahead log, NORMAL sync, a busy timeout,
 * foreign keys, and a log of WAL_AUTOCHECKPOINT_PAGES pages before a checkpoint (lib/db/index.ts says
 * why): a run of commits longer than SQLite's default leaves the log as it is, uncopied.
 */
let dir: string;
let db: Db;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-sqlite-settings-'));
  db = await openDb({ sqlitePath: path.join(dir, 'settings.db') });
});
afterAll(async () => {
  await db?.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

const pragma = (name: string): unknown => {
  const row = sqliteHandleNow(db)!.prepare(`PRAGMA ${name}`).get([]) as Record<string, unknown>;
  return Object.values(row)[0];
};

describe('SQLite connection settings', () => {
  it('uses a write-ahead log with NORMAL sync, a busy timeout and foreign keys', () => {
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(pragma('foreign_keys')).toBe(1);
  });

  it(`checkpoints the log only once it holds ${WAL_AUTOCHECKPOINT_PAGES} pages`, async () => {
    expect(WAL_AUTOCHECKPOINT_PAGES).toBe(5000);
    expect(pragma('wal_autocheckpoint')).toBe(WAL_AUTOCHECKPOINT_PAGES);
    // The log's length and how much of it a checkpoint has copied, from the wal-index (the -shm file):
    // mxFrame in the first header at byte 16, nBackfill after the two 48-byte headers (native endian).
    const shm = fs.openSync(path.join(dir, 'settings.db-shm'), 'r');
    const word = (at: number) => {
      const b = Buffer.alloc(4);
      fs.readSync(shm, b, 0, 4, at);
      return b.readUInt32LE(0);
    };
    try {
      // With SQLite's default (1,000) a commit would have checkpointed the log and the next one started it
      // over before it reached 1,500 pages.
      const data = 'x'.repeat(3000);
      for (let i = 0; i < 3000 && word(16) <= 1500; i++) {
        await db.insertInto('hosted_transactions').values({ id: `settings-${i}`, browser: 'b', data_enc: data, created_at: 1, expires_at: 9_000_000_000_000 }).execute();
      }
      expect(word(16)).toBeGreaterThan(1500);
      expect(word(96)).toBe(0);
    } finally {
      fs.closeSync(shm);
    }
  });
});
