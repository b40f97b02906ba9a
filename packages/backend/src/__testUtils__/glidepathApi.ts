/*
 * Glidepath's REST API and the sandbox's journal, as the process tests
 * (crash, replicas) read them.
 */
import type { Client } from 'pg';
import type { RunningBackend } from './backendProcess';

/** A call to `/api/glidepath<path>` on `backend` with the guest's token. */
export async function glidepathApi(
  backend: RunningBackend,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${backend.baseUrl}/api/glidepath${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  });
  return { status: res.status, body: await res.json() };
}

/** POSTs a rollback of a release with an Idempotency-Key. */
export function postRollback(
  backend: RunningBackend,
  token: string,
  releaseId: string,
  key: string,
) {
  return glidepathApi(backend, token, `/releases/${releaseId}/actions`, {
    method: 'POST',
    headers: { 'Idempotency-Key': key },
    body: JSON.stringify({ action: 'rollback', reason: 'process test' }),
  });
}

/**
 * How many rollbacks of a sandbox release (`service@version`) reached the
 * sandbox: its journal, on Glidepath's database.
 */
export async function journalRollbacks(
  db: Client,
  providerRef: string,
): Promise<number> {
  const { rows } = await db.query(
    `select payload from glidepath_sandbox_events where kind = 'action' and release_id = $1`,
    [providerRef],
  );
  return rows.filter(r => JSON.parse(r.payload).action === 'rollback').length;
}
