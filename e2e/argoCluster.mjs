// Starts the stand-in Kubernetes API server of the Argo Rollouts browser
// test (e2e/fake-argo-cluster.ts) and writes the portal config that points
// the Argo Rollouts provider at it and adds e2e/catalog-argo.yaml to the
// demo catalog.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import yaml from 'js-yaml';
import { artifactsDir, repoRoot } from './portal.mjs';

export async function startArgoCluster() {
  const token = randomBytes(16).toString('hex');
  const child = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli-node/config/nodeTransform.cjs',
      resolve(repoRoot, 'e2e/fake-argo-cluster.ts'),
      token,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((ok, fail) => {
    child.once('exit', code =>
      fail(new Error(`the stand-in Kubernetes API server exited (${code})`)),
    );
    createInterface({ input: child.stdout }).once('line', line =>
      ok(JSON.parse(line).url),
    );
  });

  // Arrays replace each other in Backstage config: the demo's catalog
  // locations, the Argo service's, the gated service of the rollback
  // gate's override test (e2e/catalog-gate.yaml), and the release plans'
  // services and release managers (e2e/catalog-plans.yaml).
  const demo = yaml.load(
    readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const config = {
    catalog: {
      locations: [
        ...demo.catalog.locations,
        { type: 'file', target: '../../e2e/catalog-argo.yaml' },
        { type: 'file', target: '../../e2e/catalog-gate.yaml' },
        { type: 'file', target: '../../e2e/catalog-plans.yaml' },
      ],
    },
    glidepath: {
      argoRollouts: {
        pollInterval: { seconds: 5 },
        clusters: [
          {
            name: 'fixtures',
            url,
            authProvider: 'serviceAccountToken',
            serviceAccountToken: token,
            environment: 'production',
          },
        ],
      },
    },
  };
  mkdirSync(artifactsDir, { recursive: true });
  const configFile = resolve(artifactsDir, 'app-config.argo.yaml');
  writeFileSync(
    configFile,
    `# Written by e2e/argoCluster.mjs for one run of the browser tests.\n${yaml.dump(
      config,
    )}`,
  );
  return {
    url,
    configFile,
    stop: () =>
      new Promise(done => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
