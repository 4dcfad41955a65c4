type LoadPhi<F extends string> = (practiceId: string, ids: string[], fields: F[]) => Promise<Map<string, Partial<Record<F, string | null>>>>;

interface PendingRead<F extends string> {
  id: string;
  field: F;
  resolve(value: string | null): void;
  reject(error: unknown): void;
}

/**
 * Collects the PHI fields one request asks for across a page of records (leads, patients) and opens them together, so
 * a page of fifty is one decryption pass and one audit event per practice rather than two hundred. Reads asked for in
 * the same turn of the event loop (a GraphQL list resolves its items' fields together) share a batch.
 */
export class PhiBatch<F extends string> {
  private pending = new Map<string, PendingRead<F>[]>();
  private scheduled = false;

  constructor(private readonly load: LoadPhi<F>) {}

  read(record: { id: string; practiceId: string }, field: F): Promise<string | null> {
    return new Promise((resolve, reject) => {
      const reads = this.pending.get(record.practiceId) ?? [];
      reads.push({ id: record.id, field, resolve, reject });
      this.pending.set(record.practiceId, reads);
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
          const opened = await this.load(practiceId, [...new Set(reads.map((r) => r.id))], [...new Set(reads.map((r) => r.field))]);
          for (const read of reads) read.resolve(opened.get(read.id)?.[read.field] ?? null);
        } catch (error) {
          for (const read of reads) read.reject(error);
        }
      }),
    );
  }
}
