/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  compress: false,
  reactStrictMode: true,
  serverExternalPackages: ['better-sqlite3', 'pg', 'kysely'],
  // Runtime data (SQLite file, keys) must never be traced into a build (stack-notes G7).
  outputFileTracingExcludes: { '/*': ['./data/**/*'] },
  experimental: { serverActions: { bodySizeLimit: '64kb' } },
};
export default nextConfig;
