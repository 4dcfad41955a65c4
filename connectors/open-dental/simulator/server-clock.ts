import { epochMsToLocalDateTime } from '@sourceline/sdk';

/**
 * The office server's clock: its own time zone and an offset from the client's clock (skew). Open Dental stamps rows
 * and reports `serverDateTime` with it, as wall-clock text with no offset and one-second resolution.
 */
export class ServerClock {
  constructor(
    readonly timeZone: string,
    private skewMs: number,
    private readonly realNow: () => number = Date.now,
  ) {}

  nowMs(): number {
    return this.realNow() + this.skewMs;
  }

  /** `yyyy-MM-dd HH:mm:ss` in the server's zone. */
  nowText(): string {
    return epochMsToLocalDateTime(this.nowMs(), this.timeZone);
  }

  setSkew(skewMs: number): void {
    this.skewMs = skewMs;
  }
}
