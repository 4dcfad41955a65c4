import type { LeadPhi, LeadPhiField } from './read-lead-phi.ts';

type LoadPhi = (practiceId: string, leadIds: string[], fields: LeadPhiField[]) => Promise<Map<string, LeadPhi>>;

interface PendingRead {
  leadId: string;
  field: LeadPhiField;
  resolve(value: string | null): void;
  reject(error: unknown): void;
}

/**
 * Collects the PHI fields one request asks for across a page of leads and opens them together, so a page of fifty
 * leads is one decryption pass and one audit event per practice rather than two hundred. Reads asked for in the same
 * turn of the event loop (a GraphQL list resolves its items' fields together) share a batch.
 */
export class LeadPhiBatch {
  private pending = new Map<string, PendingRead[]>();
  private scheduled = false;

  constructor(private readonly load: LoadPhi) {}

  read(lead: { id: string; practiceId: string }, field: LeadPhiField): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const reads = this.pending.get(lead.practiceId) ?? [];
      reads.push({ leadId: lead.id, field, resolve, reject });
      this.pending.set(lead.practiceId, reads);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    await Promise.all(
      [...batch].map(async ([practiceId, reads]) => {
        try {
          const opened = await this.load(practiceId, [...new Set(reads.map((r) => r.leadId))], [...new Set(reads.map((r) => r.field))]);
          for (const read of reads) read.resolve(opened.get(read.leadId)?.[read.field] ?? null);
        } catch (error) {
          for (const read of reads) read.reject(error);
        }
      }),
    );
  }
}
