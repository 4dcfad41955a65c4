import { secret } from '@sourceline/sdk';
import { z } from 'zod';

export const acmeFormsSettings = z.object({
  baseUrl: z.url().default('https://api.acme-forms.example/v1'),
  /** Secrets are marked: the platform encrypts them at rest and never shows them again. */
  apiKey: secret(z.string().min(1)),
  webhookSecret: secret(z.string().min(16)),
});

export type AcmeFormsSettings = z.infer<typeof acmeFormsSettings>;
