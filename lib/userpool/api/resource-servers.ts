import type { Handler } from '../context';

export const resourceServerHandlers: Record<string, Handler> = {};
