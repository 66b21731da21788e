import type { Handler } from '../context';

export const groupHandlers: Record<string, Handler> = {};
