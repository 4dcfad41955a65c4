import type { ConnectorLogger, LogFields } from '@sourceline/sdk';
import type { Platform } from '../platform.ts';

/** A connector's `log` over the platform's logger (whose redaction keeps PHI out whatever a connector passes). */
export function connectorLogger(logger: Platform['logger']): ConnectorLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields: LogFields = {}) => logger[level](fields, message);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
