import { InputError } from '@backstage/errors';
import { editedFixture, fixture } from '../__testUtils__/fixtures';
import {
  imageWithTag,
  planSetImage,
  START_KEY_ANNOTATION,
  tagProblem,
} from './setImage';

describe('imageWithTag', () => {
  it.each([
    ['argoproj/rollouts-demo:blue', 'argoproj/rollouts-demo:7.0.0'],
    ['nginx', 'nginx:7.0.0'],
    ['nginx:latest', 'nginx:7.0.0'],
    ['docker.io/library/nginx:1.25', 'docker.io/library/nginx:7.0.0'],
    // a registry's port is not a tag
    [
      'registry.example.com:5000/shop/checkout',
      'registry.example.com:5000/shop/checkout:7.0.0',
    ],
    ['localhost:5000/checkout:1.2.3', 'localhost:5000/checkout:7.0.0'],
    // a digest pins the old content: dropped
    [
      'registry.example.com:5000/shop/checkout:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'registry.example.com:5000/shop/checkout:7.0.0',
    ],
    [
      'ghcr.io/acme/checkout@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'ghcr.io/acme/checkout:7.0.0',
    ],
    ['[::1]:5000/checkout:old', '[::1]:5000/checkout:7.0.0'],
  ])('%s -> %s', (image, expected) => {
    expect(imageWithTag(image, '7.0.0')).toBe(expected);
  });
});

describe('tagProblem', () => {
  it.each(['7.0.0', 'v1.2.3', '1.0.0-rc.1', '2024_05_01', 'a'.repeat(128)])(
    'takes %s',
    version => expect(tagProblem(version)).toBeUndefined(),
  );
  it.each([
    ['1.0.0+build.5', /semver build metadata after "\+" is not allowed/],
    ['-1.0.0', /not starting with a dot or dash/],
    ['.hidden', /cannot be an image tag/],
    ['', /cannot be an image tag/],
    ['1.0 beta', /cannot be an image tag/],
    ['a'.repeat(129), /cannot be an image tag/],
  ])('refuses %p', (version, problem) => {
    expect(tagProblem(version)).toMatch(problem);
  });
});

describe('planSetImage', () => {
  const options = {
    templatePath: '/spec/template',
    describe: 'Rollout jesse-test/canary-demo',
    version: '7.0.0',
    idempotencyKey: 'plan-1/checkout',
  };

  it('changes the first container image of the pod template, and nothing else but the key', () => {
    const rollout = fixture('canary/canary-rollout.yaml');
    const plan = planSetImage(rollout, options);
    expect(plan).toEqual({
      kind: 'update',
      object: editedFixture('canary/canary-rollout.yaml', o => {
        o.spec.template.spec.containers[0].image =
          'argoproj/rollouts-demo:7.0.0';
        o.metadata.annotations[START_KEY_ANNOTATION] = 'plan-1/checkout';
      }),
      message:
        'set the image of container "canary-demo" of Rollout jesse-test/canary-demo to argoproj/rollouts-demo:7.0.0 (was argoproj/rollouts-demo:does-not-exist)',
    });
    // the object read is left as it was
    expect(rollout).toEqual(fixture('canary/canary-rollout.yaml'));
  });

  it('names the container the entity asks for, and sets the version label with it', () => {
    const rollout = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.metadata.labels['app.kubernetes.io/version'] =
        'does-not-exist';
      o.spec.template.spec.containers.push({
        name: 'sidecar',
        image: 'registry.example.com:5000/proxy:1.0@sha256:abc',
      });
    });
    const plan = planSetImage(rollout, { ...options, container: 'sidecar' });
    if (plan.kind !== 'update') throw new Error(plan.message);
    const template = (plan.object as any).spec.template;
    expect(template.spec.containers.map((c: any) => c.image)).toEqual([
      'argoproj/rollouts-demo:does-not-exist',
      'registry.example.com:5000/proxy:7.0.0',
    ]);
    expect(template.metadata.labels['app.kubernetes.io/version']).toBe('7.0.0');
  });

  it('refuses a container other than the first when the version is read from the first', () => {
    const rollout = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.spec.containers.push({
        name: 'sidecar',
        image: 'proxy:1',
      });
    });
    expect(() =>
      planSetImage(rollout, { ...options, container: 'sidecar' }),
    ).toThrow(
      /from the tag of its first container \("canary-demo"\), and its pod template has no app\.kubernetes\.io\/version label/,
    );
  });

  it('refuses a container it does not have, naming those it has', () => {
    expect(() =>
      planSetImage(fixture('canary/canary-rollout.yaml'), {
        ...options,
        container: 'web',
      }),
    ).toThrow(
      new InputError(
        'Rollout jesse-test/canary-demo has no container named "web" (it has "canary-demo"): fix the entity\'s glidepath.dev/container annotation',
      ),
    );
  });

  it('writes nothing when the image is already the version, or the key was used', () => {
    const running = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.spec.containers[0].image = 'argoproj/rollouts-demo:7.0.0';
    });
    expect(planSetImage(running, options)).toEqual({
      kind: 'nothing',
      message:
        'container "canary-demo" of Rollout jesse-test/canary-demo already is argoproj/rollouts-demo:7.0.0: it runs 7.0.0 or is on its way to it; nothing to do',
    });
    const started = editedFixture('canary/canary-rollout.yaml', o => {
      o.metadata.annotations[START_KEY_ANNOTATION] = 'plan-1/checkout';
    });
    expect(planSetImage(started, options)).toMatchObject({
      kind: 'nothing',
      message: expect.stringMatching(
        /already started with the key "plan-1\/checkout"/,
      ),
    });
  });

  it('still writes when the image is the version but the version label is not', () => {
    const rollout = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.metadata.labels['app.kubernetes.io/version'] = '6.0.0';
      o.spec.template.spec.containers[0].image = 'argoproj/rollouts-demo:7.0.0';
    });
    expect(planSetImage(rollout, options).kind).toBe('update');
  });

  it('refuses a template without containers and a version that is no tag', () => {
    const empty = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.spec.containers = [];
    });
    expect(() => planSetImage(empty, options)).toThrow(
      'Rollout jesse-test/canary-demo has no containers in spec.template.spec.containers to set the image of',
    );
    expect(() =>
      planSetImage(fixture('canary/canary-rollout.yaml'), {
        ...options,
        version: '1.0.0+5',
      }),
    ).toThrow(InputError);
  });
});
