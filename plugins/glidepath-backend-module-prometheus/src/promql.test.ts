import { InputError } from '@backstage/errors';
import {
  expandTemplate,
  newestSampleQuery,
  parseSelector,
  quotePromQLString,
  rangeSeconds,
  sideSelector,
} from './promql';

describe('parseSelector', () => {
  it.each([
    [
      'job="checkout",namespace="shop"',
      [
        { label: 'job', op: '=', quotedValue: '"checkout"' },
        { label: 'namespace', op: '=', quotedValue: '"shop"' },
      ],
    ],
    [
      ' job = "checkout" , pod =~ "checkout-.*" , ',
      [
        { label: 'job', op: '=', quotedValue: '"checkout"' },
        { label: 'pod', op: '=~', quotedValue: '"checkout-.*"' },
      ],
    ],
    [
      '{env!="dev",team!~\'ops|sre\'}',
      [
        { label: 'env', op: '!=', quotedValue: '"dev"' },
        { label: 'team', op: '!~', quotedValue: "'ops|sre'" },
      ],
    ],
    [
      'path=~"/api/\\\\d+",name="say \\"hi\\", ok"',
      [
        { label: 'path', op: '=~', quotedValue: '"/api/\\\\d+"' },
        { label: 'name', op: '=', quotedValue: '"say \\"hi\\", ok"' },
      ],
    ],
    [
      'route=~`/api/\\d+`',
      [{ label: 'route', op: '=~', quotedValue: '`/api/\\d+`' }],
    ],
    ['_private="x"', [{ label: '_private', op: '=', quotedValue: '"x"' }]],
  ])('parses %s', (selector, matchers) => {
    expect(parseSelector(selector)).toEqual(matchers);
  });

  it.each([
    ['', 'it is empty'],
    ['{ }', 'it is empty'],
    ['job="checkout', 'the value of job has no closing "'],
    ["job='checkout", "the value of job has no closing '"],
    ['job="a",env="b', 'the value of env has no closing "'],
    ['job=checkout', 'the value of job must be quoted, as in job="value"'],
    ['job', 'expected one of = != =~ !~ after the label job, found ""'],
    ['job=="a"', 'the value of job must be quoted'],
    ['job<"a"', 'expected one of = != =~ !~ after the label job, found "<"a""'],
    ['1job="a"', 'expected a label name at "1job="a""'],
    ['job="a" env="b"', 'expected "," between matchers, found "env="b""'],
    ['job="a",,env="b"', 'expected a label name at ",env="b""'],
    ['job="a"}', 'expected "," between matchers, found "}"'],
    [
      'path=~"/api/\\d+"',
      'the value of path has the unknown escape sequence \\d',
    ],
  ])('rejects %s: %s', (selector, problem) => {
    let thrown: unknown;
    try {
      parseSelector(selector);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toContain(
      `Invalid Prometheus selector '${selector}': ${problem}`,
    );
  });
});

describe('sideSelector', () => {
  it.each([
    ['job="checkout"', 'version', '1.2.0', 'job="checkout",version="1.2.0"'],
    [
      'job=\'checkout\',pod=~"c-.*"',
      'app_version',
      'v2',
      'job=\'checkout\',pod=~"c-.*",app_version="v2"',
    ],
    ['job="x"', 'version', 'a"b\\c', 'job="x",version="a\\"b\\\\c"'],
  ])('%s with %s=%s', (selector, label, version, expected) => {
    expect(sideSelector(parseSelector(selector), label, version)).toBe(
      expected,
    );
  });
});

describe('quotePromQLString', () => {
  it.each([
    ['1.2.0', '"1.2.0"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['line\nbreak\ttab', '"line\\nbreak\\ttab"'],
  ])('%s', (value, quoted) => {
    expect(quotePromQLString(value)).toBe(quoted);
  });
});

describe('rangeSeconds', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 10, 27) + s * 1000);
  it.each([
    [0, 600, 600],
    [0, 600.4, 600],
    [0, 600.6, 601],
    [0, 0.2, 1],
    [0, 3 * 3600, 10800],
  ])('%s s to %s s is %s s', (from, to, seconds) => {
    expect(rangeSeconds(t(from), t(to))).toBe(seconds);
  });
});

describe('expandTemplate', () => {
  const values = { selector: 'job="a",version="1"', rangeSeconds: 300 };
  it.each([
    [
      'sum(increase(http_requests_total{$selector}[$range]))',
      'sum(increase(http_requests_total{job="a",version="1"}[300s]))',
    ],
    [
      'sum(increase(http_requests_total{$selector,code=~"5.."}[$range]))',
      'sum(increase(http_requests_total{job="a",version="1",code=~"5.."}[300s]))',
    ],
    [
      'sum(rate(x{$selector}[$range])) * 300 + sum(y{$selector})',
      'sum(rate(x{job="a",version="1"}[300s])) * 300 + sum(y{job="a",version="1"})',
    ],
    // Only the two names are placeholders.
    ['x{$selectors}[$ranged] $other', 'x{$selectors}[$ranged] $other'],
  ])('%s', (template, expected) => {
    expect(expandTemplate(template, values)).toBe(expected);
  });
});

describe('newestSampleQuery', () => {
  it.each([
    [
      600,
      'max(timestamp(up{job="a"})) or max(max_over_time(timestamp(up{job="a"})[600s:2s]))',
    ],
    [
      10,
      'max(timestamp(up{job="a"})) or max(max_over_time(timestamp(up{job="a"})[10s:1s]))',
    ],
    [
      10800,
      'max(timestamp(up{job="a"})) or max(max_over_time(timestamp(up{job="a"})[10800s:36s]))',
    ],
  ])('over %s s', (seconds, expected) => {
    expect(newestSampleQuery('up{job="a"}', seconds)).toBe(expected);
  });
});
