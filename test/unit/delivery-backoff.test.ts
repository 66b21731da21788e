import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs } from '../../lib/delivery/backoff';
import { parseSettings } from '../../lib/config/env';

describe('retryDelayMs', () => {
  it('doubles from 2 s after the first failure', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
  });

  it('is capped at 5 minutes', () => {
    expect(retryDelayMs(8)).toBe(256_000);
    expect(retryDelayMs(9)).toBe(300_000);
    expect(retryDelayMs(40)).toBe(300_000);
  });

  it('gives up after 8 attempts, whose waits add up to under 10 minutes', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1)).reduce((a, b) => a + b, 0);
    expect(total).toBe(254_000);
  });
});

describe('delivery settings', () => {
  it('accepts smtp:// and smtps:// URLs and defaults the sender', () => {
    expect(parseSettings({ PORTICO_SMTP_URL: 'smtps://user:pw@mail.example.com:465' })).toMatchObject({
      smtpUrl: 'smtps://user:pw@mail.example.com:465',
      smtpFrom: 'Portico <no-reply@localhost>',
    });
    expect(parseSettings({ PORTICO_SMTP_URL: 'smtp://127.0.0.1:2525', PORTICO_SMTP_FROM: 'Acme <id@acme.test>' }).smtpFrom).toBe('Acme <id@acme.test>');
    expect(parseSettings({}).smtpUrl).toBeUndefined();
  });

  it('refuses another scheme, naming the setting', () => {
    expect(() => parseSettings({ PORTICO_SMTP_URL: 'http://mail.example.com' })).toThrow(/PORTICO_SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => parseSettings({ PORTICO_SMS_WEBHOOK_URL: 'ftp://x.example.com' })).toThrow(/PORTICO_SMS_WEBHOOK_URL/);
  });
});
