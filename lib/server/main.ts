import http from 'node:http';
import { CLIENT_IP_HEADER, resolveClientIp } from '../security/client-ip';
import path from 'node:path';
import next from 'next';
import { ConfigError, settings, type Settings } from '../config/env';
import { hostedRuntime, type HostedRuntime } from '../hosted/runtime';
import { runtimeStarted } from '../userpool/runtime';
import { appStylesheets, StylesheetError } from './stylesheets';
import { surviveLostOutput } from './log-streams';
import { hotRoute, serveHot, targetOf } from './fast-path';
import { decideSite } from '../domains/decide';
import { BASE_URL_HEADER } from '../domains/header';
import { findDomain } from '../domains/store';
import { seedDomains } from '../domains/seed';
import { seedThemes } from '../branding/seed';
import { ALWAYS_SERVED, unknownHostResponse, wantsJson } from '../domains/unknown-host';
import { localeOfRequest } from '../security/front-door';
import { newNonce, securityHeaders } from '../security/headers';
import { parseCookies, writeOut } from './node-io';
import { errorFields, logger } from '../observability/logger';
import { annotateRequest, openRequest, runWithRequest } from '../observability/context';
import { observeRequest } from '../observability/metrics';
import { joinClusterMetrics } from '../observability/cluster-metrics';
import { routeLabel } from '../observability/routes';

/**
 * Portico's HTTP server (Next's documented "custom server"): node:http on PORT, the hot sign-in
 * requests answered directly (fast-path.ts), everything else handed to Next's request handler, where
 * proxy.ts runs as before. SIGTERM/SIGINT stop accepting connections and let requests in flight finish.
 */
const GRACE_MS = 10_000;
const ENGINE_WAIT_MS = 5_000;

function fail(message: string): never {
  // Plain text on stderr as well as the log: a refused start-up must read well in a terminal.
  logger().fatal({ setting: /^([A-Z_]+)/.exec(message)?.[1] }, message);
  console.error(message);
  process.exit(1);
}

function settingsOrExit(): Settings {
  try {
    return settings();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}

/** Idle keep-alive connections stay open this long (above common load balancers' 60 s idle timeout). */
export const KEEP_ALIVE_MS = 65_000;

/**
 * Next's bundles carry their own copies of lib/ and the AWS SDK; the engine and the hosted runtime are
 * one per process (on globalThis), built by whichever bundle asks first. The engine must come from
 * Next's bundle — instrumentation.ts starts it during prepare(), and code there (the demo bootstrap)
 * calls it directly and recognises its errors by class — so this server waits for that (a few seconds
 * at most), then builds the hosted runtime from its own copies, which the requests it answers use.
 * A failure (the database down) is not kept: each request tries again and answers with the error page.
 */
async function startRuntimes(): Promise<() => Promise<HostedRuntime>> {
  const deadline = Date.now() + ENGINE_WAIT_MS;
  while (!runtimeStarted() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  void hostedRuntime().catch(() => undefined);
  return hostedRuntime;
}

export async function main(o: { dir: string }): Promise<void> {
  surviveLostOutput();
  const s = settingsOrExit();
  joinClusterMetrics();
  let stylesheets: string[];
  try {
    stylesheets = appStylesheets(path.join(o.dir, '.next'));
  } catch (e) {
    if (e instanceof StylesheetError) fail(e.message);
    throw e;
  }

  const server = http.createServer();
  // Load balancers keep idle connections to their targets open for a minute (AWS ALB: 60 s) and reuse
  // them; a target that closes an idle connection first (Node's default after 5 s) makes the balancer
  // answer 502 for the request it sent on it at that moment. So Portico keeps them longer than they do.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  // `next` is CommonJS; under ESM its default export is the factory itself.
  const createNext = ((next as unknown as { default?: typeof next }).default ?? next) as typeof next;
  const app = createNext({ dev: false, dir: o.dir, port: s.port, httpServer: server });
  await app.prepare();
  const handle = app.getRequestHandler();
  const runtime = await startRuntimes();
  if (s.domains.length > 0) {
    // PORTICO_DOMAINS_FILE was validated with the settings; a database that is down is retried per request.
    await runtime().then((rt) => seedDomains(rt.db, s.domains, Date.now())).catch((e: unknown) =>
      logger().error(errorFields(e), 'custom domains not seeded'),
    );
  }
  if (s.themes.length > 0) {
    // PORTICO_THEMES_FILE was validated with the settings; only an asset path this database lacks is left.
    await runtime()
      .then(async (rt) => {
        const { skipped } = await seedThemes(rt.db, s.themes, Date.now());
        for (const why of skipped) logger().error({ setting: 'PORTICO_THEMES_FILE', detail: why }, 'theme not seeded');
      })
      .catch((e: unknown) => logger().error(errorFields(e), 'themes not seeded'));
  }
  const fast = { publicUrl: s.publicUrl, runtime, assets: { stylesheets } };

  let stopping = false;
  /**
   * The request's site (lib/domains), decided once like the client address: the base URL goes down in
   * BASE_URL_HEADER and X-Forwarded-Host/-Proto are rewritten to what was believed, so nothing behind
   * this point reads a value an untrusted peer chose. An unknown host gets its 404 here.
   */
  const siteOf = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string | undefined): Promise<boolean> => {
    const one = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    };
    const decision = await decideSite(
      { peer: req.socket.remoteAddress, host: one('host'), forwardedHost: one('x-forwarded-host'), forwardedProto: one('x-forwarded-proto'), trusted: s.trustedProxies },
      s.publicUrl,
      async (hostname) => findDomain((await runtime()).db, hostname),
    );
    delete req.headers['x-forwarded-host'];
    delete req.headers['x-forwarded-proto'];
    if (decision.kind === 'unknown') {
      if (pathname !== undefined && ALWAYS_SERVED.has(pathname)) return true;
      const method = (req.method ?? 'GET').toUpperCase();
      const path = pathname ?? '/';
      const cookies = parseCookies(one('cookie'));
      const nonce = newNonce();
      const locale = localeOfRequest({ query: targetOf(req.url)?.query ?? new URLSearchParams(), header: (n) => one(n) ?? null, cookie: (n) => cookies[n] });
      const out = unknownHostResponse({ json: wantsJson(method, path, one('accept'), one('x-amz-target')), locale, nonce });
      writeOut(req, res, out, { headers: securityHeaders({ nonce, https: false }) });
      req.resume();
      return false;
    }
    req.headers[BASE_URL_HEADER] = decision.baseUrl;
    if (decision.authority) {
      req.headers['x-forwarded-host'] = decision.authority.host;
      req.headers['x-forwarded-proto'] = decision.authority.proto;
    }
    return true;
  };

  const log = logger();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();
    const ctx = openRequest(req.headers['x-request-id'], started);
    res.setHeader('x-request-id', ctx.requestId);
    // While stopping, each answer closes its connection so keep-alive clients go away.
    if (stopping) res.setHeader('connection', 'close');
    // The one place the client's address is decided (lib/security/client-ip): never what the client says.
    const forwarded = req.headers[CLIENT_IP_HEADER];
    req.headers[CLIENT_IP_HEADER] = resolveClientIp(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, s.trustedProxies);
    const method = (req.method ?? 'GET').toUpperCase();
    const target = targetOf(req.url);
    // One line and one observation per request: the route pattern, never the path or query (codes ride in some).
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(target?.pathname);
      const status = res.headersSent ? res.statusCode : 0;
      observeRequest(route, method, status, seconds);
      log.info({ requestId: ctx.requestId, method, route, status, ms: Math.round(seconds * 10_000) / 10, pool: ctx.poolId, client: ctx.clientId, outcome: ctx.outcome }, 'request');
    });
    runWithRequest(ctx, () => serve(req, res, method, target));
  });

  const serve = (req: http.IncomingMessage, res: http.ServerResponse, method: string, target: ReturnType<typeof targetOf>) => {
    const clientId = target?.query.get('client_id');
    if (clientId) annotateRequest({ clientId });
    const done = siteOf(req, res, target?.pathname).then((served) => {
      if (!served) return;
      const route = target && hotRoute(method, target.pathname, target.query, (name) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(', ') : v;
      });
      return route && target ? serveHot(route, target, req, res, fast) : handle(req, res);
    });
    done.catch((error: unknown) => {
      log.error(errorFields(error), 'request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Internal Server Error');
      } else {
        res.destroy();
      }
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(s.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  log.info({ port: s.port, url: s.publicUrl }, `Portico listening on port ${s.port} (${s.publicUrl})`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${signal}: finishing requests in flight, then stopping`);
    const forced = setTimeout(() => {
      log.warn({ graceMs: GRACE_MS }, `requests still open after ${GRACE_MS} ms: closing them`);
      server.closeAllConnections();
      // Should Next not close either, stop anyway (the database pool would keep the process alive).
      setTimeout(() => process.exit(1), 2_000);
    }, GRACE_MS);
    // Idle keep-alive connections go now; busy ones when their response is sent.
    const sweep = setInterval(() => server.closeIdleConnections(), 250);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(forced);
      void app.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
