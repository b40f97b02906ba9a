import { parseDurationSeconds, versionOfImage } from './objects';

describe('small readers', () => {
  it.each([
    ['argoproj/rollouts-demo:green', 'green'],
    ['registry.example.com:5000/shop/checkout:1.4.2', '1.4.2'],
    ['registry.example.com:5000/shop/checkout', 'latest'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef', 'sha256:0123456789ab'],
    ['nginx:1.25@sha256:0123456789abcdef', '1.25'],
  ])('versionOfImage(%s) is %s', (image, version) => {
    expect(versionOfImage(image)).toBe(version);
  });

  it.each([
    [30, 30],
    ['30', 30],
    ['10s', 10],
    ['1m30s', 90],
    ['1h', 3600],
    ['500ms', 0.5],
  ])('parseDurationSeconds(%j) is %d', (value, expected) => {
    expect(parseDurationSeconds(value, 'd')).toBe(expected);
  });
});
