import { parseUnleashRef } from './ref';

describe('parseUnleashRef', () => {
  it.each([
    ['checkout', { project: 'checkout', tags: [] }],
    ['default?tags=cart', { project: 'default', tags: ['simple:cart'] }],
    [
      'default?tags=team:payments&tags=simple:cart',
      { project: 'default', tags: ['team:payments', 'simple:cart'] },
    ],
    [
      'my_project.v2?tags=a%20b',
      { project: 'my_project.v2', tags: ['simple:a b'] },
    ],
    [
      'default?tags=url:https://x',
      { project: 'default', tags: ['url:https://x'] },
    ],
  ])('reads %j', (ref, expected) => {
    expect(parseUnleashRef(ref)).toEqual(expected);
  });

  it.each([
    ['', 'is not an Unleash project id'],
    ['check/out', '"check/out" is not an Unleash project id'],
    ['default?type=release', '"type" is not a filter Glidepath knows'],
    ['default?tags=', 'tags= needs a tag'],
    ['default?tags', 'tags= needs a tag'],
    ['default?tags=simple:', '"simple:" is not a tag'],
    ['default?tags=a b:c', '"a b:c" is not a tag'],
  ])('refuses %j: %s', (ref, problem) => {
    expect(parseUnleashRef(ref)).toEqual(expect.stringContaining(problem));
  });
});
