import { randomBytes } from 'node:crypto';
import type { EngineDeps } from './context';

/**
 * Every message the pool sends (codes, invitations) is written here first. Delivery transports read
 * from it later; `/dev/outbox` lists it for people and tests.
 */
export interface OutboxMessage {
  id: string;
  poolId: string;
  to: string;
  medium: 'EMAIL' | 'SMS';
  subject: string | null;
  text: string;
  createdAt: string;
  status: string;
  /** Failed tries so far (the worker retries with back-off until it gives up: status 'failed'). */
  attempts: number;
  /** The carrier's last error, while the message is not sent. */
  lastError: string | null;
  sentAt: string | null;
  /** Whether the message has an HTML part (`/dev/outbox?id=…&part=html` shows it). */
  hasHtml: boolean;
}

let counter = 0;
/** Time-ordered ids, so "newest first" is a plain descending sort even within one millisecond. */
function outboxId(now: number): string {
  counter = (counter + 1) % 0x10000;
  return `${now.toString(16).padStart(12, '0')}${counter.toString(16).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

export async function enqueueMessage(
  deps: EngineDeps,
  message: { poolId: string; to: string; medium: 'EMAIL' | 'SMS'; subject?: string; text: string; html?: string },
): Promise<string> {
  const now = deps.clock.now();
  const id = outboxId(now);
  await deps.db
    .insertInto('outbox')
    .values({
      id,
      pool_id: message.poolId,
      to_addr: message.to,
      medium: message.medium,
      subject: message.subject ?? null,
      body_text: message.text,
      html: message.html ?? null,
      status: 'queued',
      created_at: now,
    })
    .execute();
  return id;
}

export async function listOutbox(deps: EngineDeps, limit = 200): Promise<OutboxMessage[]> {
  const rows = await deps.db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    poolId: r.pool_id,
    to: r.to_addr,
    medium: r.medium as 'EMAIL' | 'SMS',
    subject: r.subject,
    text: r.body_text,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    status: r.status,
    attempts: Number(r.attempts ?? 0),
    lastError: r.last_error ?? null,
    sentAt: r.sent_at === null || r.sent_at === undefined ? null : new Date(Number(r.sent_at)).toISOString(),
    hasHtml: r.html !== null && r.html !== undefined,
  }));
}

/** One message's HTML part, or undefined when there is no such message or it has none. */
export async function outboxHtml(deps: EngineDeps, id: string): Promise<string | undefined> {
  const row = await deps.db.selectFrom('outbox').select('html').where('id', '=', id).executeTakeFirst();
  return row?.html ?? undefined;
}
