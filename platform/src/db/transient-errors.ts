/**
 * Errors that say the database was briefly out of reach or asked for a retry, not that the work was wrong: the
 * server restarting or shutting down, a connection lost or refused, a deadlock or serialization failure. Work that
 * failed on one is worth running again; anything else is not decided here.
 */
const RETRY_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
// Prisma's codes for a server it cannot reach or that closed the connection.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
// node-postgres reports a connection dropped under it by message only.
const DROPPED = /^Connection terminated|^timeout exceeded when trying to connect|^Client has encountered a connection error/;

export function isTransientDatabaseError(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (RETRY_SQLSTATES.has(code) || NETWORK_CODES.has(code) || PRISMA_CODES.has(code))) return true;
    if (DROPPED.test(cause.message)) return true;
  }
  return false;
}
