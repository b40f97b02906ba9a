// Runs one Unleash server in its own process, for the Unleash module's
// tests (src/__testUtils__/unleashHarness.ts starts it). Everything comes
// from the environment:
//   UNLEASH_MODULE    the unleash-server package's entry file (absolute)
//   UNLEASH_DATABASE  the PostgreSQL connection string of its own database
//   UNLEASH_PORT      the port to listen on (127.0.0.1)
//   UNLEASH_ADMIN_PASSWORD  the password of the first user, `admin`
// Prints one line `ready` once the server listens; exits when stdin closes
// (the test process went away) or on SIGTERM.
import { pathToFileURL } from 'node:url';

const {
  UNLEASH_MODULE,
  UNLEASH_DATABASE,
  UNLEASH_PORT,
  UNLEASH_ADMIN_PASSWORD,
} = process.env;
const db = new URL(UNLEASH_DATABASE);
const unleash = await import(pathToFileURL(UNLEASH_MODULE).href);
const start = unleash.start ?? unleash.default.start;

const instance = await start({
  db: {
    host: db.hostname,
    port: Number(db.port || 5432),
    user: decodeURIComponent(db.username || 'postgres'),
    password: decodeURIComponent(db.password),
    database: db.pathname.slice(1),
    ssl: false,
    pool: { min: 0, max: 4 },
  },
  server: { port: Number(UNLEASH_PORT), host: '127.0.0.1' },
  authentication: {
    type: 'open-source',
    createAdminUser: true,
    initialAdminUser: { username: 'admin', password: UNLEASH_ADMIN_PASSWORD },
  },
  logLevel: 'error',
  versionCheck: { enable: false },
  disableScheduler: false,
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try {
    await instance.stop();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write('ready\n');
