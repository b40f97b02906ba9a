import { InputError } from '@backstage/errors';

/** A PromQL label matcher, as written in `glidepath.dev/metrics`. */
export type LabelMatcher = {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The value as written, quotes and escapes included: `"checkout"`. */
  quotedValue: string;
};

const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const OPERATORS = ['=~', '!~', '!=', '='] as const;
const QUOTES = ['"', "'", '`'];
/** What may follow a backslash in a PromQL string, besides its own quote. */
const ESCAPES = new Set('abfnrtv\\01234567xuU');

/**
 * Parses and checks an entity's selector: a PromQL label-matcher list such
 * as `job="checkout",namespace="shop"` (surrounding braces are accepted).
 * Throws an InputError that names the selector and what is wrong with it.
 */
export function parseSelector(selector: string): LabelMatcher[] {
  const fail = (problem: string): never => {
    throw new InputError(
      `Invalid Prometheus selector '${selector}': ${problem}. Expected label matchers such as job="checkout",namespace="shop"`,
    );
  };

  let text = selector.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  const matchers: LabelMatcher[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };

  skipSpace();
  if (i === text.length) fail('it is empty');
  while (i < text.length) {
    LABEL_NAME.lastIndex = i;
    const label = LABEL_NAME.exec(text)?.[0];
    if (!label) {
      fail(`expected a label name at "${text.slice(i)}"`);
      break;
    }
    i += label.length;
    skipSpace();

    const rest = text.slice(i);
    const op = OPERATORS.find(o => rest.startsWith(o));
    if (!op) {
      fail(
        `expected one of = != =~ !~ after the label ${label}, found "${text.slice(
          i,
        )}"`,
      );
      break;
    }
    i += op.length;
    skipSpace();

    const quote = text[i];
    if (!QUOTES.includes(quote)) {
      fail(`the value of ${label} must be quoted, as in ${label}${op}"value"`);
    }
    const start = i;
    i++;
    let closed = false;
    while (i < text.length) {
      const ch = text[i];
      if (ch === '\\' && quote !== '`') {
        const next = text[i + 1];
        if (next === undefined) break;
        if (next !== quote && !ESCAPES.has(next)) {
          fail(
            `the value of ${label} has the unknown escape sequence \\${next} (write \\\\${next} for a backslash in a regular expression)`,
          );
        }
        i += 2;
        continue;
      }
      if (ch === quote) {
        closed = true;
        i++;
        break;
      }
      if (ch === '\n' && quote !== '`') break;
      i++;
    }
    if (!closed) fail(`the value of ${label} has no closing ${quote}`);
    matchers.push({ label, op, quotedValue: text.slice(start, i) });

    skipSpace();
    if (i === text.length) break;
    if (text[i] !== ',') {
      fail(
        `expected "," between matchers, found "${text.slice(
          i,
        )}" after ${label}${op}${text.slice(start, i)}`,
      );
    }
    i++;
    skipSpace();
  }
  return matchers;
}

/** A PromQL double-quoted string literal for `value`. */
export function quotePromQLString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')}"`;
}

/**
 * The selector of one side: the entity's matchers plus
 * `<versionLabel>="<version>"`, comma-separated, without braces.
 */
export function sideSelector(
  matchers: LabelMatcher[],
  versionLabel: string,
  version: string,
): string {
  return [
    ...matchers.map(m => `${m.label}${m.op}${m.quotedValue}`),
    `${versionLabel}=${quotePromQLString(version)}`,
  ].join(',');
}

/** The whole seconds of a range, at least one, as PromQL writes them. */
export function rangeSeconds(from: Date, to: Date): number {
  return Math.max(1, Math.round((to.getTime() - from.getTime()) / 1000));
}

/**
 * Fills a query template: `$selector` becomes the side's selector, `$range`
 * the range as a PromQL duration (`600s`).
 */
export function expandTemplate(
  template: string,
  values: { selector: string; rangeSeconds: number },
): string {
  return template.replace(/\$(selector|range)\b/g, (_, name: string) =>
    name === 'selector' ? values.selector : `${values.rangeSeconds}s`,
  );
}

/**
 * A query for the time of the newest sample of `series` (a plain series
 * selector) at the query's evaluation time, in unix seconds. `timestamp()`
 * of the series gives it while the series is current; once Prometheus has
 * marked the series stale (its target went away) or the newest sample is
 * older than the lookback, a subquery over the range finds the newest sample
 * there instead, to within one step.
 */
export function newestSampleQuery(series: string, seconds: number): string {
  const step = Math.max(1, Math.ceil(seconds / 300));
  return `max(timestamp(${series})) or max(max_over_time(timestamp(${series})[${seconds}s:${step}s]))`;
}
