/**
 * Reads a request body up to `limit` bytes. It stops after limit+1 bytes, so an oversized body is
 * recognised (the result is longer than the limit) without buffering all of it.
 */
export async function readBodyLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
