/**
 * When whatever reads Portico's output goes away (a log shipper that died, `portico | tee` with tee
 * killed), writes to stdout and stderr fail with EPIPE and the streams emit 'error'. Without a listener
 * that becomes an uncaught exception, which Next's handler prints with console.error — to stderr, which
 * fails again: the process spun at a full core writing the same EPIPE, and no longer stopped on SIGTERM
 * (found by the soak). There is nowhere left to report a failing log stream, so its errors are dropped
 * and the server keeps serving; requests do not depend on their log lines being read.
 */
export function surviveLostOutput(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (stream.listenerCount('error') === 0) stream.on('error', () => undefined);
  }
}
