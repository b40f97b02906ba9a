import type { Knex } from 'knex';
import { readTimestamp } from './timestamps';

/**
 * Leases on named tasks in the plugin's database: at most one replica
 * (owner) holds a task's lease at a time; a lease that is not renewed runs
 * out, and then any replica may take it.
 */
export class DatabaseTaskLeases {
  constructor(
    private readonly db: Knex,
    /** This replica's name on the leases it holds. */
    readonly owner: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes the lease, or keeps it: true when this replica holds it now. */
  async acquire(name: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    await this.db('glidepath_task_leases')
      .insert({ name, owner: null, expires_at: null })
      .onConflict('name')
      .ignore();
    const taken = await this.db('glidepath_task_leases')
      .where({ name })
      .andWhere(free =>
        free
          .whereNull('owner')
          .orWhere('owner', this.owner)
          .orWhere('expires_at', '<', now),
      )
      .update({
        owner: this.owner,
        expires_at: new Date(now.getTime() + leaseMs),
      });
    return taken === 1;
  }

  /** Extends the lease while this replica holds it; false when it lost it. */
  async renew(name: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    const renewed = await this.db('glidepath_task_leases')
      .where({ name, owner: this.owner })
      .andWhere('expires_at', '>=', now)
      .update({ expires_at: new Date(now.getTime() + leaseMs) });
    return renewed === 1;
  }

  /** Gives the lease up (a replica shutting down), so another takes it now. */
  async release(name: string): Promise<void> {
    await this.db('glidepath_task_leases')
      .where({ name, owner: this.owner })
      .update({ owner: null, expires_at: null });
  }

  /** Who holds a task's lease now, if anyone. */
  async holder(name: string): Promise<string | undefined> {
    const row = await this.db('glidepath_task_leases').where({ name }).first();
    return row?.owner &&
      row.expires_at &&
      readTimestamp(row.expires_at).getTime() >= this.now().getTime()
      ? row.owner
      : undefined;
  }
}
