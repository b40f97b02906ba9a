import {
  countOf,
  latencyBucketsOf,
  parseInstantQueryData,
  parseLe,
  parseSampleValue,
  roundCount,
  UnusableResultError,
  type PromSample,
} from './results';

const at = 1795773600.5;
const sample = (value: number, labels: Record<string, string> = {}) =>
  ({ labels, timestamp: at, value } as PromSample);
const buckets = (entries: Array<[string, number]>) =>
  entries.map(([le, value]) => sample(value, { le }));

describe('parseSampleValue', () => {
  it.each([
    ['12', 12],
    ['0.25', 0.25],
    ['1e+03', 1000],
    ['-3', -3],
    ['NaN', NaN],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
  ])('%s', (text, value) => {
    expect(parseSampleValue(text)).toBe(value);
  });

  it.each([[''], ['twelve'], [12], [null]])('rejects %j', text => {
    expect(() => parseSampleValue(text)).toThrow(UnusableResultError);
  });
});

describe('parseInstantQueryData', () => {
  it.each([
    ['an empty vector', { resultType: 'vector', result: [] }, []],
    [
      'a vector',
      {
        resultType: 'vector',
        result: [
          { metric: { le: '0.5' }, value: [at, '3'] },
          { metric: {}, value: [at, 'NaN'] },
        ],
      },
      [sample(3, { le: '0.5' }), sample(NaN)],
    ],
    ['a scalar', { resultType: 'scalar', result: [at, '42'] }, [sample(42)]],
  ])('reads %s', (_, data, samples) => {
    expect(parseInstantQueryData(data)).toEqual(samples);
  });

  it.each([
    [
      'a range vector',
      { resultType: 'matrix', result: [] },
      'expected an instant vector, got a result of type matrix',
    ],
    [
      'a string',
      { resultType: 'string', result: [at, 'x'] },
      'a result of type string',
    ],
    ['no data', undefined, 'expected an instant vector'],
    [
      'a bad value',
      { resultType: 'vector', result: [{ metric: {}, value: [at] }] },
      'expected [<time>, "<value>"]',
    ],
    [
      'a bad time',
      { resultType: 'vector', result: [{ metric: {}, value: ['x', '1'] }] },
      'expected a sample time',
    ],
    [
      'no list',
      { resultType: 'vector', result: 'nope' },
      'expected a list of samples',
    ],
  ])('rejects %s', (_, data, message) => {
    expect(() => parseInstantQueryData(data)).toThrow(message);
  });
});

describe('roundCount', () => {
  it.each([
    [239.99999999997, 240],
    [0.4, 0.4],
    [0.0004, 0],
    [12.34567, 12.346],
    [-0.0000001, 0],
  ])('%s -> %s', (value, rounded) => {
    expect(roundCount(value)).toBe(rounded);
  });
});

describe('countOf', () => {
  it.each([
    ['nothing: no series', [], {}, undefined],
    ['one sample', [sample(439.99999999)], {}, 440],
    ['a fraction, kept', [sample(0.4)], {}, 0.4],
    ['series added up', [sample(1.5), sample(2.25)], {}, 3.75],
    ['float noise below 0 as 0', [sample(-1e-9)], {}, 0],
    [
      'NaN from 0/0 with nothing to count',
      [sample(NaN)],
      { nanIsZero: true },
      0,
    ],
  ])('%s', (_, samples, options, count) => {
    expect(countOf(samples, options)).toBe(count);
  });

  it.each([
    ['NaN', [sample(NaN)], 'the query returned NaN'],
    ['+Inf', [sample(Infinity)], 'returned +Inf, which is not a count'],
    ['-Inf', [sample(-Infinity)], 'returned -Inf'],
    ['a negative count', [sample(-5)], 'returned -5, a negative count'],
  ])('rejects %s', (_, samples, message) => {
    expect(() => countOf(samples)).toThrow(UnusableResultError);
    expect(() => countOf(samples)).toThrow(message);
  });
});

describe('parseLe', () => {
  it.each([
    ['0.05', 0.05],
    ['1', 1],
    ['1.0', 1],
    ['2.5e+00', 2.5],
    ['+Inf', Infinity],
  ])('%s', (text, le) => {
    expect(parseLe(text)).toBe(le);
  });

  it.each([
    [undefined, 'no "le" label: aggregate the buckets with sum by (le)'],
    ['fast', '"le" label "fast" is not a number'],
    ['', 'is not a number'],
  ])('rejects %j', (text, message) => {
    expect(() => parseLe(text)).toThrow(message);
  });
});

describe('latencyBucketsOf', () => {
  it.each([
    ['no histogram', [], []],
    [
      'buckets in any order, +Inf last',
      buckets([
        ['+Inf', 10],
        ['0.5', 9],
        ['0.1', 4],
        ['1', 10],
      ]),
      [
        { le: 0.1, count: 4 },
        { le: 0.5, count: 9 },
        { le: 1, count: 10 },
        { le: Infinity, count: 10 },
      ],
    ],
    [
      'extrapolation dips raised to the bucket before',
      buckets([
        ['0.1', 4.2],
        ['0.5', 4.1999],
        ['1', 9.7],
        ['+Inf', 9.69],
      ]),
      [
        { le: 0.1, count: 4.2 },
        { le: 0.5, count: 4.2 },
        { le: 1, count: 9.7 },
        { le: Infinity, count: 9.7 },
      ],
    ],
    [
      'the same bound written twice or per instance, added up',
      buckets([
        ['1', 3],
        ['1.0', 2],
        ['+Inf', 4],
        ['+Inf', 2],
      ]),
      [
        { le: 1, count: 5 },
        { le: Infinity, count: 6 },
      ],
    ],
  ])('%s', (_, samples, expected) => {
    expect(latencyBucketsOf(samples)).toEqual(expected);
  });

  it('reads NaN as 0 when there was nothing to count', () => {
    const nan = buckets([
      ['0.1', NaN],
      ['+Inf', NaN],
    ]);
    expect(latencyBucketsOf(nan, { nanIsZero: true })).toEqual([
      { le: 0.1, count: 0 },
      { le: Infinity, count: 0 },
    ]);
    expect(() => latencyBucketsOf(nan)).toThrow('returned NaN');
  });

  it.each([
    [
      'no +Inf bucket',
      buckets([
        ['0.1', 1],
        ['0.5', 2],
      ]),
      'the buckets have no le="+Inf" bucket (got le 0.1, 0.5)',
    ],
    ['no le label', [sample(3)], 'no "le" label'],
    [
      'an infinite count',
      buckets([['+Inf', Infinity]]),
      'returned +Inf, which is not a count',
    ],
  ])('rejects %s', (_, samples, message) => {
    expect(() => latencyBucketsOf(samples)).toThrow(message);
  });
});
