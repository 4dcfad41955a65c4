import { z } from 'zod';

/**
 * A record id as the source system knows it, as a string. Ids are scoped to one connection: the platform keys every
 * record by (connection, kind, id), so PatNum "2041" from two practices' Open Dental never collide.
 */
export const SourceId = z.string().min(1).max(200);
export type SourceId = z.infer<typeof SourceId>;

/** Money is integer cents end to end; connectors convert source strings or micros once, at their edge. */
export const Cents = z.number().int().safe();
export type Cents = z.infer<typeof Cents>;

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date (`YYYY-MM-DD`) with no time zone: dates of service, birthdates, payment dates. */
export const IsoDate = z
  .string()
  .regex(isoDatePattern, 'expected a date as YYYY-MM-DD')
  .refine(isRealCalendarDate, 'not a real calendar date');
export type IsoDate = z.infer<typeof IsoDate>;

/** An instant with an explicit offset (`2024-02-09T17:30:00.000Z`); wall-clock source times are converted first. */
export const IsoDateTime = z.iso.datetime({ offset: true });
export type IsoDateTime = z.infer<typeof IsoDateTime>;

export const Email = z.string().min(3).max(320).regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address');

/** Phone numbers stay as the source wrote them; the platform normalises to E.164 for matching. */
export const PhoneText = z.string().min(1).max(64);

export const PostalAddress = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

// A sync checks the same few thousand dates hundreds of thousands of times (every procedure of a day): each real one
// is worked out once.
const realDates = new Set<string>();

function isRealCalendarDate(value: string): boolean {
  if (realDates.has(value)) return true;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  if (y < 1850) return false; // Open Dental's 0001-01-01 means "none" and must have been mapped to null already
  const date = new Date(Date.UTC(y, m - 1, d));
  const real = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  if (real && realDates.size < 100_000) realDates.add(value);
  return real;
}
