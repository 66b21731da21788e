export const DEFAULT_HEAP_MB: number;
export const HEAP_GROWING_PERCENT: number;
export function v8PoolSize(cpus: number, processes?: number): number;
export function serverNodeArgs(env?: Record<string, string | undefined>, cpus?: number): string[];
