import { epochMsToLocalDateTime, zoneOffsetMs } from '@sourceline/sdk';

/**
 * An instant as Google's conversion imports want it: wall-clock `yyyy-MM-dd HH:mm:ss` in `timeZone`, and with the
 * zone's offset appended (`2025-04-02 15:10:00-05:00`) where the API requires one.
 */
export function conversionDateTime(instant: string, timeZone: string, options: { withOffset: boolean }): string {
  const ms = Date.parse(instant);
  const local = epochMsToLocalDateTime(ms, timeZone);
  if (!options.withOffset) return local;
  const offset = zoneOffsetMs(ms, timeZone);
  const minutes = Math.abs(offset) / 60_000;
  return `${local}${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Integer cents as a decimal amount, exactly ("4850.00"): no float ever touches the value. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
