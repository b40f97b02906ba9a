import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import request from 'supertest';
import { FakeRolloutProvider } from './__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from './__testUtils__/glidepathTestBackend';
import { spec } from './schema/openapi.generated';

/*
 * A fuzz test of the whole REST API, generated from its OpenAPI spec: for
 * every operation, requests with hostile path parameters, query values,
 * headers and bodies (NUL bytes and other control characters, encoded
 * slashes, huge strings, wrong types, unknown properties, absurd dates,
 * random JSON), against the real plugin on the test backend.
 *
 * What must hold for every answer:
 * - never a 5xx;
 * - a 4xx has a non-empty error.message that is at most MAX_MESSAGE long,
 *   holds no control character and no internal URL, and "names what is
 *   wrong": for 400, 413 and 415 the message contains the name of a path
 *   parameter, query parameter or header of the operation, a property name
 *   of its request body (from the spec or from the body sent), or the word
 *   "body" (for a body that is not JSON, or too large); for any other 4xx (a
 *   404 of something that does not exist, a 409) it names the operation's
 *   subject, which the non-empty message is taken to do.
 *
 * Bounded: a fixed seed, RUNS requests per operation, on PostgreSQL when the
 * environment has one (it refuses NUL bytes that SQLite stores), else
 * SQLite.
 */

/** A body that is not JSON at all. */
const NOT_JSON = Symbol('not JSON');
const SEED = 20261206;
const RUNS = 20;
const MAX_MESSAGE = 1000;

type Schema = Record<string, any>;
type Operation = {
  method: 'get' | 'post' | 'put';
  path: string;
  operationId: string;
  parameters: Array<{ name: string; in: string; schema: Schema }>;
  body?: Schema;
};

const components = spec.components as unknown as {
  parameters: Record<string, any>;
  schemas: Record<string, Schema>;
};

function resolve<T extends Schema>(value: T): T {
  let current: Schema = value;
  while (current && typeof current.$ref === 'string') {
    const [, , section, name] = current.$ref.split('/');
    current = (components as Record<string, any>)[section][name];
  }
  return current as T;
}

/** The events routes take any object; the handler checks these shapes. */
const BODY_OVERRIDES: Record<string, Schema> = {
  PostDeploymentEvents: components.schemas.DeploymentEvent,
  PostIncidentEvents: components.schemas.IncidentEvent,
};

function operations(): Operation[] {
  const list: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, any>)) {
      const body =
        BODY_OVERRIDES[op.operationId] ??
        op.requestBody?.content?.['application/json']?.schema;
      list.push({
        method: method as Operation['method'],
        path,
        operationId: op.operationId,
        parameters: (op.parameters ?? []).map((p: Schema) => {
          const parameter = resolve(p);
          return { ...parameter, schema: resolve(parameter.schema) };
        }),
        body: body ? resolve(body) : undefined,
      });
    }
  }
  return list;
}

/** Strings a careless handler chokes on. */
const hostileString = fc.oneof(
  fc.constantFrom(
    'a\u0000b',
    '\u0000',
    'x\u0007\u001b[31m',
    'line\nbreak',
    'tab\there',
    'component/x',
    'a%2Fb',
    '../../etc/passwd',
    'not a ref at all!!',
    '   ',
    '',
    'Component:Default/Checkout',
    '\u202e\ufeff',
    '😀',
    '0000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    '9999-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
    '1e400',
    'NaN',
    '-1',
    'null',
    '{}',
    '__proto__',
    'constructor',
  ),
  fc.string({ maxLength: 40, unit: 'binary' }),
  // Long, yet short enough that a URL of several stays under Node's limit.
  fc.integer({ min: 300, max: 1500 }).map(n => 'x'.repeat(n)),
);

/** A value of the schema, mostly; sometimes of the wrong type or hostile. */
function valueOf(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = schema ? resolve(schema) : {};
  const wrong = fc.oneof(
    hostileString,
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, true, -1, 1e308, [], {}),
  );
  let right: fc.Arbitrary<unknown>;
  if (s.enum) {
    right = fc.constantFrom(...(s.enum as unknown[]));
  } else if (s.type === 'object' || s.properties) {
    right = objectOf(s, depth);
  } else if (s.type === 'array') {
    right = fc.array(valueOf(s.items, depth + 1), { maxLength: 3 });
  } else if (s.type === 'integer' || s.type === 'number') {
    right = fc.oneof(
      fc.integer({ min: -5, max: 300 }),
      fc.double({ noNaN: true }),
    );
  } else if (s.type === 'boolean') {
    right = fc.boolean();
  } else if (s.format === 'date-time') {
    right = fc.oneof(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2026-01-01') })
        .map(d => d.toISOString()),
      hostileString,
    );
  } else {
    right = fc.oneof(
      fc.constantFrom('checkout', 'component:default/checkout', 'v1.2.3'),
      hostileString,
    );
  }
  return depth > 3 ? right : fc.oneof({ weight: 4, arbitrary: right }, wrong);
}

function objectOf(s: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(s.required ?? []);
  const record = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([key, value]) => [
        key,
        valueOf(value, depth + 1),
      ]),
    ),
    {
      requiredKeys: Object.keys(properties).filter(key => required.has(key)),
    },
  );
  return fc
    .tuple(
      record,
      fc.option(fc.tuple(hostileString, fc.jsonValue({ maxDepth: 1 })), {
        freq: 4,
      }),
    )
    .map(([value, extra]) =>
      extra ? { ...(value as object), [extra[0]]: extra[1] } : value,
    );
}

/** A path parameter: a real-looking value or a hostile one (never empty). */
const pathValue = fc.oneof(
  fc.constantFrom('component', 'default', 'checkout', 'r1', 'x'),
  hostileString.filter(v => v.length > 0),
);

function requestOf(op: Operation) {
  const pathParams = op.parameters.filter(p => p.in === 'path');
  const query = op.parameters.filter(p => p.in === 'query');
  return fc.record({
    path: fc.tuple(...pathParams.map(() => pathValue)).map(values =>
      values.reduce<string>(
        (path, value, i) =>
          path.replace(
            `{${pathParams[i].name}}`,
            // Sometimes raw (a literal %2F), mostly encoded as a client does.
            encodeURIComponent(value),
          ),
        op.path,
      ),
    ),
    query: fc.record(
      {
        ...Object.fromEntries(
          query.map(p => [p.name, valueOf(p.schema).map(v => String(v))]),
        ),
      },
      { requiredKeys: [] },
    ),
    unknownParameter: fc.oneof(
      { weight: 10, arbitrary: fc.constant(undefined) },
      fc.constantFrom('unknown', 'a\u0000b'),
    ),
    // HTTP headers carry printable ASCII only; the client refuses the rest.
    idempotencyKey: fc.oneof(
      fc.uuid(),
      fc.constantFrom(' ', 'x'.repeat(201), 'a b', '%00'),
    ),
    body: op.body
      ? fc.oneof(
          { weight: 6, arbitrary: valueOf(op.body) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
          { weight: 1, arbitrary: fc.constant(NOT_JSON) },
          {
            weight: 1,
            arbitrary: fc
              .constant({ events: [] as unknown[] })
              .chain(() =>
                fc
                  .array(valueOf(op.body), { minLength: 1, maxLength: 3 })
                  .map(events => ({ events })),
              ),
          },
        )
      : fc.constant(undefined),
  });
}

/** Every name the request could be about, for "names what is wrong". */
function namesOf(
  op: Operation,
  query: Record<string, unknown>,
  body: unknown,
): string[] {
  const names = new Set<string>(['body']);
  for (const p of op.parameters) names.add(p.name);
  const walk = (schema: Schema | undefined, seen = 0) => {
    const s = schema ? resolve(schema) : undefined;
    if (!s || seen > 5) return;
    for (const [key, value] of Object.entries(s.properties ?? {})) {
      names.add(key);
      walk(value as Schema, seen + 1);
    }
    walk(s.items, seen + 1);
  };
  walk(op.body);
  const keys = (value: unknown, seen = 0) => {
    if (!value || typeof value !== 'object' || seen > 5) return;
    for (const [key, inner] of Object.entries(value)) {
      if (!Array.isArray(value) && key.trim()) names.add(key);
      keys(inner, seen + 1);
    }
  };
  keys(body);
  for (const key of Object.keys(query)) names.add(key);
  names.add('Idempotency-Key');
  names.add('events');
  return [...names].filter(name => name.length > 0);
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const databaseId = databases.eachSupportedId()[0][0];

describe('REST API fuzz (from the OpenAPI spec)', () => {
  jest.setTimeout(120_000);

  it(`answers hostile requests with a 4xx that names what is wrong, never a 5xx (${databaseId})`, async () => {
    const provider = new FakeRolloutProvider();
    provider.setRelease('checkout');
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      entities: [component('checkout', 'group:default/team-checkout')],
      databases,
      databaseId,
    });
    const user = mockCredentials.user.header('user:default/owner');
    const service = mockCredentials.service.header();
    const failures: string[] = [];
    try {
      await harness.sync();
      for (const op of operations()) {
        await fc.assert(
          fc.asyncProperty(requestOf(op), async generated => {
            const url = `/api/glidepath${generated.path}`;
            let call = request(harness.server)
              [op.method](url)
              .query({
                ...generated.query,
                ...(generated.unknownParameter
                  ? { [generated.unknownParameter]: 'x' }
                  : {}),
              })
              .set(
                'Authorization',
                op.path.startsWith('/events/') && op.method === 'post'
                  ? service
                  : user,
              )
              .set('Idempotency-Key', generated.idempotencyKey);
            if (generated.body !== undefined) {
              call = call
                .set('Content-Type', 'application/json')
                .send(
                  generated.body === NOT_JSON
                    ? '{"title": "unfinished'
                    : JSON.stringify(generated.body),
                );
            }
            const res = await call;
            const message: unknown = res.body?.error?.message;
            const describe = () =>
              `${op.operationId} ${op.method.toUpperCase()} ${url.slice(
                0,
                200,
              )} ${JSON.stringify(generated.query).slice(
                0,
                200,
              )} ${JSON.stringify(generated.body)?.slice(0, 300)} -> ${
                res.status
              } ${JSON.stringify(message)?.slice(0, 300)}`;
            const problem = check(
              namesOf(
                op,
                { [generated.unknownParameter ?? '']: 1 },
                generated.body,
              ),
              res.status,
              message,
            );
            if (problem) {
              failures.push(`${problem}: ${describe()}`);
            }
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
      }
    } finally {
      await harness.stop();
    }
    expect(failures).toEqual([]);
  });
});

/**
 * Whether a message names something: as sent, or escaped (control
 * characters), or clipped (a long name's first 40 characters), ignoring case
 * (header names).
 */
function mentions(message: string, name: string): boolean {
  const text = message.toLocaleLowerCase('en-US');
  const forms = [name, JSON.stringify(name).slice(1, -1)].map(form =>
    (form.length > 40 ? form.slice(0, 40) : form).toLocaleLowerCase('en-US'),
  );
  return forms.some(form => text.includes(form));
}

function check(
  names: string[],
  status: number,
  message: unknown,
): string | undefined {
  if (status >= 500) return 'a 5xx';
  if (status < 400) return undefined;
  if (typeof message !== 'string' || !message.trim()) return 'no message';
  if (message.length > MAX_MESSAGE) return 'a message over 1000 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(message)) {
    return 'a control character in the message';
  }
  if (/https?:\/\/|\/api\/catalog/.test(message)) return 'an internal URL';
  if ([400, 413, 415].includes(status)) {
    if (!names.some(name => mentions(message, name))) {
      return 'a message naming nothing of the request';
    }
  }
  return undefined;
}
