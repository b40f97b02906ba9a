/*
 * Starts the real demo backend (src/index.ts with app-config.yaml) as its own
 * process, once with the embedded SQLite default and once with PostgreSQL,
 * and checks that a guest can sign in, browse the demo catalog, and change
 * only what their team owns.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import {
  postgresUrl,
  RunningBackend,
  startBackend,
} from './__testUtils__/backendProcess';

jest.setTimeout(180_000);

function claimsOf(token: string) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

const pgUrl = postgresUrl();
const pgPrefix = `glidepath_startup_${process.pid}_`;

const databases: Array<[string, object]> = [
  [
    'SQLite, the embedded default',
    {
      client: 'better-sqlite3',
      connection: {
        directory: mkdtempSync(join(tmpdir(), 'glidepath-sqlite-')),
      },
    },
  ],
];
if (pgUrl) {
  databases.push([
    'PostgreSQL',
    { client: 'pg', connection: pgUrl, prefix: pgPrefix },
  ]);
} else {
  // eslint-disable-next-line no-console
  console.warn(
    'No PostgreSQL connection string set: the PostgreSQL startup case is skipped',
  );
}

afterAll(async () => {
  if (!pgUrl) return;
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  const { rows } = await client.query(
    'select datname from pg_database where datname like $1',
    ['glidepath_startup_%'],
  );
  for (const { datname } of rows) {
    await client.query(`drop database if exists "${datname}" with (force)`);
  }
  await client.end();
});

describe.each(databases)('the demo backend on %s', (_name, database) => {
  let backend: RunningBackend;
  let guestToken: string;

  beforeAll(async () => {
    backend = await startBackend(database);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('signs the guest in as the catalog user, a member of team-checkout', async () => {
    // Until the catalog has processed the demo users the guest provider falls
    // back to a token without group claims; wait for the real one.
    guestToken = await backend.waitUntil(
      'the guest user in the catalog',
      async () => {
        const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        });
        if (!res.ok) return undefined;
        const { identity, token } = (await res.json()).backstageIdentity;
        return identity.ownershipEntityRefs.includes(
          'group:default/team-checkout',
        )
          ? (token as string)
          : undefined;
      },
    );
    expect(claimsOf(guestToken).sub).toBe('user:default/guest');
    const info = await fetch(`${backend.baseUrl}/api/auth/v1/userinfo`, {
      headers: { Authorization: `Bearer ${guestToken}` },
    });
    expect((await info.json()).claims.ent).toEqual([
      'user:default/guest',
      'group:default/team-checkout',
    ]);
  });

  it('serves the demo catalog to the guest', async () => {
    const res = await backend.waitUntil('the demo components', async () => {
      const r = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-query?filter=kind=component&limit=100`,
        { headers: { Authorization: `Bearer ${guestToken}` } },
      );
      const body = await r.json();
      return body.items?.length >= 25 ? body : undefined;
    });
    const names = res.items.map((e: any) => e.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining(['checkout-service', 'payments-gateway']),
    );
  });

  it.each([
    ['checkout-service', 200],
    ['payments-gateway', 403],
  ])('lets the guest refresh %s: HTTP %s', async (name, status) => {
    const res = await fetch(`${backend.baseUrl}/api/catalog/refresh`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${guestToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ entityRef: `component:default/${name}` }),
    });
    expect(res.status).toBe(status);
  });

  it('refuses requests without a token', async () => {
    const res = await fetch(`${backend.baseUrl}/api/catalog/entities?limit=1`);
    expect(res.status).toBe(401);
  });
});

afterAll(() => {
  for (const [, db] of databases) {
    const dir = (db as any).connection?.directory;
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});
