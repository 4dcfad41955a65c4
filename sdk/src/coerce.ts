import { z } from 'zod';

/**
 * Source payloads disagree with their own docs about types: CallRail's webhook sends `"duration":"13"` where its API
 * says integer, Gravity Forms sends entry ids as strings, CallRail call ids arrive as numbers or strings. These
 * schemas accept both spellings and hand back one type.
 */

/** An id sent as a number or a string, kept as a string. */
export const LooseId = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);

/** An integer sent as a number or a numeric string. */
export const LooseInt = z.union([
  z.number().int(),
  z.string().trim().regex(/^-?\d+$/, 'expected an integer').transform(Number),
]);

/** A boolean sent as true/false, 1/0, "1"/"0" or "true"/"false". */
export const LooseBool = z.union([
  z.boolean(),
  z.literal(1).transform(() => true),
  z.literal(0).transform(() => false),
  z.enum(['1', 'true', 'True']).transform(() => true),
  z.enum(['0', 'false', 'False']).transform(() => false),
]);

/** Trims a text value and turns "" into null: sources send empty inputs as "", which means "not given". */
export function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
