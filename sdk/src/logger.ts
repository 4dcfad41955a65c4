/**
 * Connector logs carry ids, counts and statuses only: the value type forbids objects, so a whole record (and the PHI
 * in it) cannot be logged by accident. Free-text strings are allowed for ids and codes; never put names in them.
 */
export type LogValue = string | number | boolean | null;
export type LogFields = Readonly<Record<string, LogValue>>;

export interface ConnectorLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** A logger that keeps entries in memory (the test kit uses it; tests can assert nothing sensitive was logged). */
export function createMemoryLogger(entries: LogEntry[] = []): ConnectorLogger & { entries: LogEntry[] } {
  const write = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    entries.push({ level, message, fields });
  };
  return { entries, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };
