import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, WAL_AUTOCHECKPOINT_PAGES, type Db } from '../../lib/db';
import { sqliteHandleNow } from '../../lib/db/sqlite-direct';
import { WAL_COPIED, WAL_LENGTH, walIndexWord } from '../helpers/wal-index';
import { CHECKPOINT_INTERVAL_MS, SAFETY_NET_PAGES, startWalCheckpointer } from '../../lib/db/wal-checkpointer';

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
    const file = path.join(dir, 'settings.db');
    // With SQLite's default (1,000) a commit would have checkpointed the log and the next one started it
    // over before it reached 1,500 pages.
    const data = 'x'.repeat(3000);
    for (let i = 0; i < 3000 && walIndexWord(file, WAL_LENGTH) <= 1500; i++) {
      await db.insertInto('hosted_transactions').values({ id: `settings-${i}`, browser: 'b', data_enc: data, created_at: 1, expires_at: 9_000_000_000_000 }).execute();
    }
    expect(walIndexWord(file, WAL_LENGTH)).toBeGreaterThan(1500);
    expect(walIndexWord(file, WAL_COPIED)).toBe(0);
  });
});

describe('WAL checkpoints on their own thread (openDb backgroundCheckpoint)', () => {
  let bgDir: string;
  let bg: Db;
  const failures: Error[] = [];
  beforeAll(async () => {
    bgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-sqlite-checkpointer-'));
    bg = await openDb({ sqlitePath: path.join(bgDir, 'bg.db'), backgroundCheckpoint: true, onCheckpointerFailure: (e) => failures.push(e) });
  });
  afterAll(async () => {
    await bg?.destroy();
    fs.rmSync(bgDir, { recursive: true, force: true });
  });

  const shmWord = (at: typeof WAL_LENGTH | typeof WAL_COPIED) => walIndexWord(path.join(bgDir, 'bg.db'), at);

  it('leaves the connection only a distant limit and copies the log into the database file from another thread', async () => {
    const row = sqliteHandleNow(bg)!.prepare('PRAGMA wal_autocheckpoint').get([]) as Record<string, unknown>;
    expect(Object.values(row)[0]).toBe(SAFETY_NET_PAGES);
    const data = 'x'.repeat(3000);
    for (let i = 0; i < 300; i++) {
      await bg.insertInto('hosted_transactions').values({ id: `bg-${i}`, browser: 'b', data_enc: data, created_at: 1, expires_at: 9_000_000_000_000 }).execute();
    }
    // Far below the connection's own limit: no commit checkpointed, the whole log is still to copy.
    const frames = shmWord(WAL_LENGTH);
    expect(frames).toBeGreaterThan(300);
    expect(frames).toBeLessThan(SAFETY_NET_PAGES);
    const before = fs.statSync(path.join(bgDir, 'bg.db')).size;
    // Within a few of the thread's turns, with no query on this connection, the log is all copied.
    const deadline = Date.now() + 5 * CHECKPOINT_INTERVAL_MS;
    while (shmWord(WAL_COPIED) < frames && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(shmWord(WAL_COPIED)).toBeGreaterThanOrEqual(frames);
    expect(fs.statSync(path.join(bgDir, 'bg.db')).size).toBeGreaterThan(before + 300 * 3000);
    // The next commit starts the log over, as after any checkpoint.
    await bg.insertInto('hosted_transactions').values({ id: 'bg-after', browser: 'b', data_enc: data, created_at: 1, expires_at: 9_000_000_000_000 }).execute();
    expect(shmWord(WAL_LENGTH)).toBeLessThan(10);
    expect(failures).toEqual([]);
  });

  it('tells the caller when the thread cannot work, and stops when asked', async () => {
    const failed = new Promise<Error>((resolve) => {
      startWalCheckpointer(path.join(bgDir, 'missing.db'), { onFailure: resolve });
    });
    expect((await failed).message).toMatch(/unable to open|does not exist|SQLITE_CANTOPEN/i);

    const results: number[] = [];
    const running = startWalCheckpointer(path.join(bgDir, 'bg.db'), { intervalMs: 20, onFailure: (e) => failures.push(e), onCheckpoint: (r) => results.push(r.log) });
    while (results.length < 2) await new Promise((r) => setTimeout(r, 10));
    await running.stop();
    const seen = results.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(results.length).toBe(seen);
    expect(failures).toEqual([]);
  });
});
