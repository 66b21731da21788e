import type { Db } from '../db';
import type { Clock } from '../userpool/context';
import { MAX_ATTEMPTS, retryDelayMs } from './backoff';
import { countDelivery } from '../observability/metrics';
import type { EmailTransport, OutgoingMessage, SmsSender } from './transport';

/**
 * Sends queued outbox rows. The engine only writes rows, so a slow or broken carrier never holds up an
 * API call; this worker picks them up. Each row is claimed with one conditional UPDATE (compare-and-set
 * on status and next_attempt_at), which both SQLite and PostgreSQL apply atomically, so two Portico
 * instances on one database never send a message twice.
 */
export interface DeliveryWorker {
  /** One pass: claims and sends every due row (up to a batch). Returns how many rows it handled. */
  tick(): Promise<number>;
  start(intervalMs?: number): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerOptions {
  db: Db;
  clock: Clock;
  email: EmailTransport;
  sms: SmsSender;
  batchSize?: number;
  /** Called with a row's id and error text when a send fails (for the log; never the message body). */
  onFailure?: (id: string, error: string, willRetry: boolean) => void;
}

/** A claimed row whose sender died (process killed mid-send) becomes due again after this long. */
export const SENDING_LEASE_MS = 5 * 60_000;

interface Candidate {
  id: string;
  status: string;
  next_attempt_at: number | string | null;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function createDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const { db, clock } = opts;
  const batchSize = opts.batchSize ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function claim(c: Candidate, now: number): Promise<boolean> {
    let q = db
      .updateTable('outbox')
      .set({ status: 'sending', next_attempt_at: now + SENDING_LEASE_MS })
      .where('id', '=', c.id)
      .where('status', '=', c.status);
    q = c.next_attempt_at === null
      ? q.where('next_attempt_at', 'is', null)
      : q.where('next_attempt_at', '=', Number(c.next_attempt_at));
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async function deliver(id: string): Promise<void> {
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return;
    const message: OutgoingMessage = { id: row.id, to: row.to_addr, subject: row.subject, text: row.body_text, html: row.html };
    try {
      const outcome = await (row.medium === 'SMS' ? opts.sms : opts.email).send(message);
      await db
        .updateTable('outbox')
        .set(
          outcome === 'sent'
            ? { status: 'sent', sent_at: clock.now(), next_attempt_at: null, last_error: null }
            : { status: 'outbox', next_attempt_at: null },
        )
        .where('id', '=', id)
        .where('status', '=', 'sending')
        .execute();
      countDelivery(row.medium, outcome === 'sent' ? 'sent' : 'outbox');
    } catch (err) {
      const attempts = Number(row.attempts) + 1;
      const giveUp = attempts >= MAX_ATTEMPTS;
      const error = errorText(err);
      await db
        .updateTable('outbox')
        .set({
          status: giveUp ? 'failed' : 'queued',
          attempts,
          last_error: error,
          next_attempt_at: giveUp ? null : clock.now() + retryDelayMs(attempts),
        })
        .where('id', '=', id)
        .where('status', '=', 'sending')
        .execute();
      countDelivery(row.medium, giveUp ? 'failed' : 'retry');
      opts.onFailure?.(id, error, !giveUp);
    }
  }

  async function pass(): Promise<number> {
    const now = clock.now();
    const due = (await db
      .selectFrom('outbox')
      .select(['id', 'status', 'next_attempt_at'])
      .where((eb) =>
        eb.or([
          eb.and([
            eb('status', '=', 'queued'),
            eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
          ]),
          eb.and([eb('status', '=', 'sending'), eb('next_attempt_at', '<=', now)]),
        ]),
      )
      .orderBy('id')
      .limit(batchSize)
      .execute()) as Candidate[];
    let handled = 0;
    for (const c of due) {
      if (!(await claim(c, now))) continue; // another instance has it
      await deliver(c.id);
      handled++;
    }
    return handled;
  }

  const worker: DeliveryWorker = {
    tick() {
      // Passes never overlap within one process; a tick during a pass joins it.
      running ??= pass().finally(() => {
        running = undefined;
      });
      return running;
    },
    start(intervalMs = 1000) {
      if (timer) return;
      timer = setInterval(() => void worker.tick().catch(() => undefined), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      opts.email.close?.();
    },
  };
  return worker;
}
