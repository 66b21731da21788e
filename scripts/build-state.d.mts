export const root: string;
export function buildIsCurrent(dir?: string): boolean;
export function ensureBuild(options?: { dir?: string; stdio?: 'inherit' | 'quiet' }): Promise<boolean>;
export function serverEntry(dir?: string): string;
export function isAscii(text: string): boolean;
export function asciiOnly(text: string): string;
