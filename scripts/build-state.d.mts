export const root: string;
export function buildIsCurrent(dir?: string): boolean;
export function ensureBuild(options?: { dir?: string; stdio?: 'inherit' | 'quiet' }): Promise<boolean>;
export function serverEntry(dir?: string): string;
