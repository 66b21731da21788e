import type { EngineDeps, Handler, OpContext } from './context';
import { createWireHandler, type WireRequest, type WireResponse } from './wire';
import { handlers } from './api';
import { CognitoError } from './errors';
import { validateInput } from './model/validate';
import { sweepSessions } from './sessions';

export interface Engine {
  deps: EngineDeps;
  handle(req: WireRequest): Promise<WireResponse>;
  /** In-process call for Portico's own bootstrap (demo seeding); validated like a wire call, no signature. */
  call<O = unknown>(operation: string, input: unknown): Promise<O>;
  sweep(): Promise<void>;
}

export function createEngine(deps: EngineDeps, extra: Record<string, Handler> = {}): Engine {
  const table = { ...handlers, ...extra };
  const handle = createWireHandler({
    deps,
    handlers: table,
    onInternalError: (operation, error) => {
      // Name and message only: request bodies carry passwords, codes and tokens.
      const e = error as Error;
      console.error(JSON.stringify({ level: 'error', msg: 'internal error', operation, error: e?.name, detail: e?.message }));
    },
  });
  return {
    deps,
    handle,
    async call<O>(operation: string, input: unknown): Promise<O> {
      const handler = table[operation];
      if (!handler) throw new CognitoError('UnsupportedOperationException', `${operation} is not supported`);
      validateInput(operation, input);
      const ctx: OpContext = { deps, operation, requestId: 'internal', admin: true };
      return (await handler(input, ctx)) as O;
    },
    async sweep() {
      await sweepSessions(deps);
      const now = deps.clock.now();
      await deps.db.deleteFrom('codes').where('expires_at', '<', now).execute();
      await deps.db.deleteFrom('lockouts').where('last_failure_at', '<', now - 24 * 3600_000).execute();
    },
  };
}
