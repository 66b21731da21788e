/**
 * The SDK transport for the embedded pool in the same process: the serialized, signed HTTP request is
 * handed to the engine's wire handler — the same bytes as over the network, without a TCP hop.
 * The wire handler is passed in, so this module does not import the engine.
 */
export interface WireLike {
  (req: { method: string; headers: Record<string, string>; body: string; sourceIp?: string }): Promise<{
    status: number;
    headers: Record<string, string>;
    body: string;
  }>;
}

interface SdkRequest {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  hostname: string;
  port?: number;
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // A view on the same memory: Buffer.from(view) would call the SDK body's valueOf(), which makes the
  // SDK's JSON codec warn that a string method was called on its Uint8Array body.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  throw new Error('unsupported request body for the in-process transport');
}

const UTF8 = new TextEncoder();

export class InProcessHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  constructor(private readonly wire: () => Promise<WireLike>) {}

  async handle(request: SdkRequest, _options?: { abortSignal?: unknown }) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    headers['host'] ??= request.port ? `${request.hostname}:${request.port}` : request.hostname;
    const wire = await this.wire();
    // No sourceIp: an in-process call is not a network caller (the pool caps those per IP; the hosted
    // front caps its own visitors per IP before calling).
    const out = await wire({ method: request.method, headers, body: bodyText(request.body) });
    return {
      response: {
        statusCode: out.status,
        reason: undefined,
        headers: out.headers,
        // Bytes, not a stream: the SDK takes a Uint8Array body as it is instead of collecting a stream.
        body: UTF8.encode(out.body),
      },
    };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}
}
