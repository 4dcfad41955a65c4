import { z } from 'zod';

/**
 * Settings fields marked with `secret()` are encrypted by the platform at rest, never shown back in the UI and never
 * logged. The mark lives in a zod registry keyed by the schema object; `isSecretSchema` looks through
 * `.optional()`, `.nullable()` and `.default()` wrappers so `secret(z.string()).optional()` still counts.
 */
export const secretRegistry = z.registry<{ secret: true }>();

export function secret<T extends z.ZodType>(schema: T): T {
  secretRegistry.add(schema, { secret: true });
  return schema;
}

export function isSecretSchema(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 8; depth++) {
    if (secretRegistry.has(current)) return true;
    current = unwrapOnce(current);
  }
  return false;
}

/** Names of the top-level settings fields that hold secrets. */
export function secretFieldsOf(settings: z.ZodObject): string[] {
  return Object.entries(settings.shape)
    .filter(([, field]) => isSecretSchema(field as z.ZodType))
    .map(([name]) => name);
}

/** A copy of settings with secrets replaced, for display and logs. */
export function redactSettings(settings: z.ZodObject, values: Record<string, unknown>): Record<string, unknown> {
  const secrets = new Set(secretFieldsOf(settings));
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, secrets.has(k) && v != null ? '••••••' : v]));
}

function unwrapOnce(schema: z.ZodType): z.ZodType | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return schema.unwrap() as z.ZodType;
  }
  return undefined;
}
