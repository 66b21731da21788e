import fs from 'node:fs';

/**
 * A SQLite database's wal-index (its -shm file), read as the tests need it: the log's length in pages
 * (mxFrame, byte 16 of the first header) and how much of it a checkpoint has copied into the database
 * file (nBackfill, after the two 48-byte headers). Native endian; x86 and ARM are little-endian.
 */
export const WAL_LENGTH = 16;
export const WAL_COPIED = 96;

export function walIndexWord(databaseFile: string, at: typeof WAL_LENGTH | typeof WAL_COPIED): number {
  const fd = fs.openSync(`${databaseFile}-shm`, 'r');
  try {
    const b = Buffer.alloc(4);
    fs.readSync(fd, b, 0, 4, at);
    return b.readUInt32LE(0);
  } finally {
    fs.closeSync(fd);
  }
}
