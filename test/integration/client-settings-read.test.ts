import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPool, type TestPool } from '../helpers/pool-server';
import { readClientSettings, writeClientSettings } from '../../lib/settings/client-settings';

/**
 * readClientSettings on the suite's database: every authorize reads its client's document, so a parsed
 * document is kept by its stored text and shared (frozen), and a new text is parsed anew at once.
 */
let t: TestPool;
beforeAll(async () => {
  t = await startTestPool();
});
afterAll(async () => t?.close());

describe('reading per-client settings', () => {
  it('shares one frozen parse per stored document and sees a change at once', async () => {
    expect(await readClientSettings(t.db, 'no-such-client')).toBeUndefined();
    await writeClientSettings(t.db, 'settings-read-client', { defaultLocale: 'es', frameOrigins: ['https://parent.example'] }, 1000);
    const first = await readClientSettings(t.db, 'settings-read-client');
    expect(first).toEqual({ defaultLocale: 'es', frameOrigins: ['https://parent.example'] });
    const again = await readClientSettings(t.db, 'settings-read-client');
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.frameOrigins)).toBe(true);
    expect(() => (first!.frameOrigins as string[]).push('https://evil.example')).toThrow(TypeError);

    await writeClientSettings(t.db, 'settings-read-client', { defaultLocale: 'fr' }, 2000);
    expect(await readClientSettings(t.db, 'settings-read-client')).toEqual({ defaultLocale: 'fr' });
  });

  it('reads a stored document a stricter release refuses as no settings', async () => {
    await t.db.insertInto('client_settings').values({ client_id: 'settings-read-legacy', settings: JSON.stringify({ retired: true }), updated_at: 1 }).execute();
    expect(await readClientSettings(t.db, 'settings-read-legacy')).toEqual({});
  });
});
