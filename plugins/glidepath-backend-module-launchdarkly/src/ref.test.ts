import { parseLaunchDarklyRef } from './ref';

describe('parseLaunchDarklyRef', () => {
  it.each([
    ['web-app', { project: 'web-app', tags: [] }],
    ['web-app?tags=checkout', { project: 'web-app', tags: ['checkout'] }],
    [
      'web_app.2?tags=a&tags=b%2Bc',
      { project: 'web_app.2', tags: ['a', 'b+c'] },
    ],
  ])('reads %j', (ref, expected) => {
    expect(parseLaunchDarklyRef(ref)).toEqual(expected);
  });

  it.each([
    ['', 'is not a LaunchDarkly project key'],
    ['web/app', '"web/app" is not a LaunchDarkly project key'],
    [
      'web-app?env=production',
      '"env" is not a filter Glidepath knows for LaunchDarkly',
    ],
    ['web-app?tags=', 'tags= needs a tag'],
    ['web-app?tags', 'tags= needs a tag'],
  ])('refuses %j: %s', (ref, problem) => {
    expect(parseLaunchDarklyRef(ref)).toEqual(expect.stringContaining(problem));
  });
});
