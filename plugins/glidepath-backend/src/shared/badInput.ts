import { makeValidator } from '@backstage/catalog-model';
import {
  CustomErrorBase,
  InputError,
  isError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  ErrorRequestHandler,
  NextFunction,
  Request,
  RequestHandler,
  Response,
} from 'express';

/*
 * Bad input, in one place: whatever a request carries that no handler could
 * use is refused with a 4xx that names the field, before it reaches a store
 * (PostgreSQL refuses NUL bytes with a 500) or the catalog (whose refusals
 * are bare and name its internal paths). Error messages never echo input
 * raw: quoted, control characters escaped, clipped.
 */

/** The longest error message the API answers with. */
export const MAX_ERROR_MESSAGE = 1000;

/** Any C0 control character or DEL: never in an id, a ref or a query. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** In body text, tabs and line breaks are text; other control characters are not. */
// eslint-disable-next-line no-control-regex
const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A request body larger than the API takes: 413. `@backstage/errors` has no
 * such class; Backstage's error handler answers with `statusCode`.
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}

/** A media type or encoding the API does not read: 415. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  readonly statusCode = 415;
}

/**
 * Input quoted for a message: JSON-quoted (control characters escaped) and
 * clipped, so a message never carries what it was sent raw.
 */
export function quote(value: unknown, max = 60): string {
  const text = String(value);
  const clipped =
    text.length > max ? `${text.slice(0, Math.max(0, max - 3))}...` : text;
  return JSON.stringify(clipped);
}

function safeMessage(message: string): string {
  // eslint-disable-next-line no-control-regex
  const escaped = message.replace(/[\u0000-\u001f\u007f]/g, c =>
    JSON.stringify(c).slice(1, -1),
  );
  return escaped.length > MAX_ERROR_MESSAGE
    ? `${escaped.slice(0, MAX_ERROR_MESSAGE - 40)}... (message clipped)`
    : escaped;
}

/** A JSON path for messages: `items[0].owner`, `events[2].deployedAt`. */
function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const name = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : quote(key);
  return parent ? `${parent}.${name}` : name;
}

/** The first string (or property name) in a JSON value with a control character. */
function controlIn(
  value: unknown,
  path: string,
  pattern: RegExp,
  depth = 0,
): string | undefined {
  if (typeof value === 'string') {
    return pattern.test(value) ? path : undefined;
  }
  if (!value || typeof value !== 'object' || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = controlIn(value[i], pathOf(path, i), pattern, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (pattern.test(key)) {
      return `a property name in ${path || 'the body'}`;
    }
    const found = controlIn(inner, pathOf(path, key), pattern, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const catalogNames = makeValidator();
const REF_PARTS: Record<string, (value: string) => boolean> = {
  kind: v => catalogNames.isValidKind(v),
  namespace: v => catalogNames.isValidNamespace(v),
  name: v => catalogNames.isValidEntityName(v),
};

/** The route's path parameters: a `use` middleware sees no req.params. */
function pathParamsOf(req: Request): Record<string, unknown> {
  return ((req as { openapi?: { pathParams?: object } }).openapi?.pathParams ??
    req.params ??
    {}) as Record<string, unknown>;
}

/**
 * Refuses, with a 400 naming the field, control characters in path
 * parameters, query values and JSON strings (and property names), and
 * `kind`, `namespace` or `name` path parameters that no catalog entity can
 * have (an encoded `/`, spaces, over 63 characters). Runs after the OpenAPI
 * validator, which has matched the route and decoded its parameters.
 */
export const rejectBadInput: RequestHandler = (req, _res, next) => {
  const params = pathParamsOf(req);
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    if (CONTROL.test(value)) {
      throw new InputError(
        `Path parameter ${name} must not contain control characters`,
      );
    }
    const valid = REF_PARTS[name];
    if (valid && !valid(value)) {
      throw new InputError(
        `Path parameter ${name} ${quote(value)} is not a valid entity ${name}${
          value.includes('/') ? ' (it must not contain "/")' : ''
        }`,
      );
    }
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    const found = controlIn(value, '', CONTROL);
    if (found !== undefined || CONTROL.test(name)) {
      throw new InputError(
        `Query parameter ${
          CONTROL.test(name) ? quote(name) : name
        } must not contain control characters`,
      );
    }
  }
  const found = controlIn(req.body, 'body', BODY_CONTROL);
  if (found) {
    throw new InputError(
      `${found.replace(
        /^a property/,
        'A property',
      )} must not contain control characters (such as NUL)`,
    );
  }
  next();
};

/** What a validator error's path (`/body/items/0/owner`) names. */
function fieldOf(path: string | undefined): string {
  if (!path) return 'request';
  const [where, ...rest] = path.replace(/^\//, '').split('/');
  const label =
    { body: 'body', query: 'query parameter', path: 'path parameter' }[where] ??
    (where === 'headers' ? 'header' : where);
  if (!rest.length) return label;
  const field = rest
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>(
      (parent, segment) =>
        pathOf(parent, /^\d+$/.test(segment) ? Number(segment) : segment),
      '',
    );
  return where === 'body' ? `body.${field}` : `${label} ${field}`;
}

type ValidatorError = Error & {
  status?: number;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
};

type BodyParserError = Error & {
  type?: string;
  status?: number;
  limit?: number;
};

/**
 * Turns the errors raised before a route runs into 4xx that name what is
 * wrong: body-parser's (413 for a body over the limit, 400 for one that is
 * not JSON, without echoing it) and the OpenAPI validator's, one message
 * per problem with the field it is about, including the unknown property of
 * "must NOT have additional properties". Replaces the transformer of
 * `@backstage/backend-openapi-utils`, which keeps only the message.
 */
export const mapRequestErrors: ErrorRequestHandler = (
  error: unknown,
  _req: Request,
  _res: Response,
  next: NextFunction,
) => {
  if (!isError(error)) {
    next(new InputError('The request is not valid'));
    return;
  }
  const bodyError = error as BodyParserError;
  switch (bodyError.type) {
    case 'entity.too.large':
      next(
        new PayloadTooLargeError(
          `The request body is larger than the ${Math.round(
            (bodyError.limit ?? 0) / 1024,
          )} KB this API takes`,
        ),
      );
      return;
    case 'entity.parse.failed': {
      const at = /position (\d+)/.exec(bodyError.message)?.[1];
      next(
        new InputError(
          `The request body is not a JSON object or array${
            at ? ` (at position ${at})` : ''
          }`,
        ),
      );
      return;
    }
    case 'charset.unsupported':
    case 'encoding.unsupported':
      next(
        new UnsupportedMediaTypeError(
          `The request body's ${
            bodyError.type.split('.')[0]
          } is not supported: send UTF-8 JSON`,
        ),
      );
      return;
    default:
      break;
  }
  const validation = error as ValidatorError;
  if (Array.isArray(validation.errors) && validation.errors.length) {
    const problems = validation.errors.map(item => {
      const message = item.message ?? 'is not valid';
      if (item.errorCode === 'additionalProperties.openapi.validation') {
        // The validator names the property in the path, unless it is empty.
        return item.path && item.path !== '/body'
          ? `${fieldOf(item.path)} is not a known property`
          : `${fieldOf(item.path || '/body')} has a property that is not known`;
      }
      if (/^Unknown query parameter/.test(message)) {
        return `Unknown query parameter ${quote(
          message.replace(/^Unknown query parameter '(.*)'$/s, '$1'),
        )}`;
      }
      return `${fieldOf(item.path)} ${message}`;
    });
    const unique = [...new Set(problems)];
    const message = safeMessage(unique.join('; '));
    next(
      validation.status === 415
        ? new UnsupportedMediaTypeError(message)
        : new InputError(message),
    );
    return;
  }
  next(new InputError(safeMessage(error.message)));
};

/** A catalog URL or path, which an answer must not show. */
const INTERNAL = /\b(?:https?:\/\/\S+|\/api\/\S+|\/entities\/\S+)/g;

/**
 * The errors of a route's handler, made safe to answer with: a catalog
 * refusal (a `ResponseError`, whose message is a bare "Request failed with
 * 400 Bad Request" or names an internal path) becomes a 400 or 404 saying
 * which of the request's entity references the catalog refused; any 4xx
 * message has its control characters escaped and is clipped.
 */
export const mapHandlerErrors: ErrorRequestHandler = (
  error: unknown,
  req: Request,
  _res: Response,
  next: NextFunction,
) => {
  if (!isError(error)) {
    next(error);
    return;
  }
  if (error.name === 'ResponseError') {
    const refusal = error as unknown as ResponseError;
    const status = refusal.statusCode;
    if (status >= 400 && status < 500) {
      next(catalogRefusal(refusal, req));
      return;
    }
    next(new Error(`The catalog failed (${status})`));
    return;
  }
  const status =
    (error as { statusCode?: unknown }).statusCode ??
    (error as { status?: unknown }).status;
  const known = ['InputError', 'NotFoundError', 'ConflictError'];
  if (
    (typeof status === 'number' && status >= 400 && status < 500) ||
    known.includes(error.name)
  ) {
    const message = safeMessage(error.message);
    if (message !== error.message) error.message = message;
  }
  next(error);
};

function catalogRefusal(error: ResponseError, req: Request): Error {
  const subject = subjectOf(req);
  const reason = (error.body?.error?.message ?? '')
    .replace(INTERNAL, '')
    .trim();
  const text = `The catalog could not look up ${subject}${
    reason && !/^Request failed with/.test(reason) ? `: ${reason}` : ''
  }`;
  return error.statusCode === 404
    ? new NotFoundError(safeMessage(text))
    : new InputError(safeMessage(text));
}

/** The entity references the request names, for a catalog refusal. */
function subjectOf(req: Request): string {
  const params = pathParamsOf(req);
  if (params.kind && params.namespace && params.name) {
    return `the entity of path parameters kind, namespace and name (${quote(
      `${params.kind}:${params.namespace}/${params.name}`,
      200,
    )})`;
  }
  const refs = ['entity', 'owner', 'system', 'domain'].filter(
    key => typeof req.query?.[key] === 'string',
  );
  if (refs.length) {
    return refs
      .map(key => `query parameter ${key} (${quote(req.query[key])})`)
      .join(' and ');
  }
  return 'the entities the request names';
}

type Layer = { handle: { length: number } & ErrorRequestHandler };

/**
 * Puts the checks on a router made by `createOpenApiRouter`: its validator's
 * error transformer (the one error handler it has; it keeps only the
 * message, and turns a 413 into a 400) is replaced by
 * {@link mapRequestErrors}, and {@link rejectBadInput} runs after the
 * validator. Call before adding routes, and {@link finishRouter} after.
 */
export function guardRequests(router: {
  stack: Layer[];
  use: (handler: RequestHandler) => unknown;
}): void {
  const transformers = router.stack.filter(layer => layer.handle.length === 4);
  if (transformers.length !== 1) {
    throw new Error(
      `Expected the OpenAPI router to have one error transformer, found ${transformers.length}; has @backstage/backend-openapi-utils changed?`,
    );
  }
  transformers[0].handle = mapRequestErrors;
  router.use(rejectBadInput);
}

/** Ends a router guarded by {@link guardRequests}: its handlers' errors made safe. */
export function finishRouter(router: {
  use: (handler: ErrorRequestHandler) => unknown;
}): void {
  router.use(mapHandlerErrors);
}
