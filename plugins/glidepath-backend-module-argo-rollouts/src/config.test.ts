import { ConfigReader } from '@backstage/config';
import {
  ARGO_ROLLOUTS_DEFAULTS,
  readArgoRolloutsConfig,
  type ConfigEnvironment,
} from './config';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function environment(
  files: Record<string, string>,
  env: Record<string, string> = {},
): ConfigEnvironment {
  return {
    env,
    readFile: file => {
      if (!(file in files)) throw new Error('ENOENT: no such file');
      return files[file];
    },
    fileExists: file => file in files,
  };
}

function read(argoRollouts: unknown, env = environment({})) {
  return readArgoRolloutsConfig(
    new ConfigReader({ glidepath: { argoRollouts } } as any),
    env,
  );
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: prod
contexts:
  - name: prod
    context: { cluster: prod-cluster, user: glidepath }
  - name: certs
    context: { cluster: prod-cluster, user: with-cert }
  - name: gke
    context: { cluster: prod-cluster, user: gcloud }
clusters:
  - name: prod-cluster
    cluster:
      server: https://10.0.0.1:6443
      certificate-authority-data: ${Buffer.from(CA).toString('base64')}
users:
  - name: glidepath
    user: { token: kube-token }
  - name: with-cert
    user: { client-certificate: certs/client.crt, client-key: certs/client.key }
  - name: gcloud
    user:
      exec: { command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1beta1 }
`;

describe('readArgoRolloutsConfig', () => {
  it('reads a cluster with url, token and CA data, and the defaults', () => {
    expect(
      read({
        clusters: [
          {
            name: 'prod-eu',
            url: 'https://k8s.example.com/',
            serviceAccountToken: ' t0ken ',
            caData: Buffer.from(CA).toString('base64'),
          },
        ],
      }),
    ).toEqual({
      clusters: [
        {
          name: 'prod-eu',
          environment: 'prod-eu',
          url: 'https://k8s.example.com',
          credentials: { type: 'token', token: 't0ken' },
          caData: CA,
          skipTLSVerify: false,
          source: 'config',
          namespaces: null,
        },
      ],
      ...ARGO_ROLLOUTS_DEFAULTS,
    });
    expect(ARGO_ROLLOUTS_DEFAULTS).toEqual({
      pollIntervalMs: 10_000,
      requestTimeoutMs: 10_000,
    });
  });

  it('reads every key', () => {
    const config = read(
      {
        pollInterval: '30s',
        requestTimeout: { seconds: 5 },
        clusters: [
          {
            name: 'staging',
            environment: 'staging-eu',
            url: 'https://s',
            serviceAccountToken: 't',
            caFile: '/etc/ca.pem',
            skipTLSVerify: true,
            namespaces: ['shop'],
          },
        ],
      },
      environment({ '/etc/ca.pem': CA }),
    );
    expect(config).toEqual({
      pollIntervalMs: 30_000,
      requestTimeoutMs: 5_000,
      clusters: [
        {
          name: 'staging',
          environment: 'staging-eu',
          url: 'https://s',
          credentials: { type: 'token', token: 't' },
          caData: CA,
          skipTLSVerify: true,
          source: 'config',
          namespaces: ['shop'],
        },
      ],
    });
  });

  it('reads the in-cluster service account', () => {
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    const [cluster] = read(
      { clusters: [{ name: 'here', authProvider: 'serviceAccount' }] },
      environment(
        { [`${dir}/token`]: 'pod-token', [`${dir}/ca.crt`]: CA },
        {
          KUBERNETES_SERVICE_HOST: '10.96.0.1',
          KUBERNETES_SERVICE_PORT: '443',
        },
      ),
    ).clusters;
    expect(cluster).toMatchObject({
      url: 'https://10.96.0.1:443',
      credentials: { type: 'tokenFile', path: `${dir}/token` },
      caData: CA,
      skipTLSVerify: false,
      source: 'serviceAccount',
    });
  });

  it('reads a kubeconfig context: token, client certificate', () => {
    const files = {
      '/home/b/.kube/config': KUBECONFIG,
      '/home/b/.kube/certs/client.crt': 'CERT',
      '/home/b/.kube/certs/client.key': 'KEY',
    };
    const [token, cert] = read(
      {
        clusters: [
          { name: 'a', kubeconfig: '/home/b/.kube/config' },
          { name: 'b', kubeconfig: '/home/b/.kube/config', context: 'certs' },
        ],
      },
      environment(files),
    ).clusters;
    expect(token).toMatchObject({
      url: 'https://10.0.0.1:6443',
      credentials: { type: 'token', token: 'kube-token' },
      caData: CA,
      source: 'kubeconfig',
    });
    expect(cert).toMatchObject({
      credentials: { type: 'clientCertificate', cert: 'CERT', key: 'KEY' },
    });
  });

  it.each([
    [
      undefined,
      "The Glidepath Argo Rollouts module is installed but 'glidepath.argoRollouts.clusters' is empty",
    ],
    [{ clusters: [] }, "'glidepath.argoRollouts.clusters' is empty"],
    [
      { clusters: [{ url: 'https://x', serviceAccountToken: 't' }] },
      "Invalid config at 'glidepath.argoRollouts.clusters[0].name': every cluster needs a name",
    ],
    [
      {
        clusters: [{ name: 'a/b', url: 'https://x', serviceAccountToken: 't' }],
      },
      'cannot be used in "argo-rollouts:<cluster>/<namespace>/<name>"',
    ],
    [
      { clusters: [{ name: 'a' }] },
      '\'glidepath.argoRollouts.clusters[0].url\': the cluster "a" needs url and serviceAccountToken, or authProvider: serviceAccount, or kubeconfig',
    ],
    [
      { clusters: [{ name: 'a', url: 'https://x' }] },
      '\'glidepath.argoRollouts.clusters[0].serviceAccountToken\': the cluster "a" has a url but no serviceAccountToken',
    ],
    [
      { clusters: [{ name: 'a', url: 'k8s.local', serviceAccountToken: 't' }] },
      '"k8s.local" is not a URL',
    ],
    [
      {
        clusters: [
          { name: 'a', url: 'https://x', serviceAccountToken: 't' },
          { name: 'a', url: 'https://y', serviceAccountToken: 't' },
        ],
      },
      '\'glidepath.argoRollouts.clusters[1].name\': "a" is used twice',
    ],
    [
      {
        clusters: [
          {
            name: 'a',
            url: 'https://x',
            serviceAccountToken: 't',
            caFile: '/nope',
          },
        ],
      },
      "'glidepath.argoRollouts.clusters[0].caFile': cannot read the CA file /nope",
    ],
    [
      { clusters: [{ name: 'a', authProvider: 'serviceAccount' }] },
      'KUBERNETES_SERVICE_HOST is not set: the backend is not running in Kubernetes',
    ],
    [
      { clusters: [{ name: 'a', authProvider: 'oidc' }] },
      '\'glidepath.argoRollouts.clusters[0].authProvider\': unknown "oidc"',
    ],
    [
      { clusters: [{ name: 'a', kubeconfig: '/kube', context: 'gke' }] },
      'gets its credentials from an exec plugin, which Glidepath does not run',
    ],
    [
      { clusters: [{ name: 'a', kubeconfig: '/kube', context: 'dev' }] },
      'the kubeconfig /kube has no context "dev" (it has "prod", "certs", "gke")',
    ],
    [
      { clusters: [{ name: 'a', kubeconfig: '/missing' }] },
      'cannot read the kubeconfig /missing',
    ],
    [
      {
        clusters: [{ name: 'a', url: 'https://x', serviceAccountToken: 't' }],
        pollInterval: 'often',
      },
      "Invalid config at 'glidepath.argoRollouts.pollInterval'",
    ],
    [
      {
        clusters: [{ name: 'a', url: 'https://x', serviceAccountToken: 't' }],
        pollInterval: '100ms',
      },
      'expected a duration of at least 1000 ms',
    ],
  ])('rejects %j', (argoRollouts, message) => {
    expect(() =>
      read(argoRollouts, environment({ '/kube': KUBECONFIG })),
    ).toThrow(message);
  });
});
