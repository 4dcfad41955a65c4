import { z } from 'zod';

/** What an admin enters under Settings → Integrations → Website. */
export const websiteSettings = z.object({
  /**
   * The practice's site origins (`https://www.example-dental.com`). Taps reported from any other origin are refused:
   * the collect address is public by nature (it sits in the page), so the origin is what ties a tap to the practice.
   */
  allowedOrigins: z.array(z.url().transform((u) => new URL(u).origin)).min(1),
});

export type WebsiteSettings = z.infer<typeof websiteSettings>;
