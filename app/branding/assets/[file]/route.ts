import { assetRoute } from '@/lib/branding/next-routes';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  return assetRoute((await params).file);
}
