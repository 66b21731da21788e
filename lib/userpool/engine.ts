import { logger } from '../observability/logger';
import type { EngineDeps, Handler, OpContext } from './context';
import { createWireHandler, type WireRequest, type WireResponse } from './wire';
import { handlers } from './api';
import { CognitoError } from './errors';
import { validateInput } from './model/validate';
import { sweepEngine } from './sweep';

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
      logger().error({ operation, error: e?.name, detail: e?.message }, 'internal error');
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
      await sweepEngine(deps);
    },
  };
}
