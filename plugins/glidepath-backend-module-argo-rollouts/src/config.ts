import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '@backstage/config';
import {
  invalidConfig,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';
import { parse as parseYaml } from 'yaml';

/** How the backend authenticates to a cluster. @public */
export type ClusterCredentials =
  | { type: 'none' }
  | { type: 'token'; token: string }
  /** A token read from a file, again whenever it may have been rotated. */
  | { type: 'tokenFile'; path: string }
  | { type: 'clientCertificate'; cert: string; key: string };

/** One cluster, resolved from its config. @public */
export type ClusterConfig = {
  name: string;
  /** The environment its releases go to; the cluster's name by default. */
  environment: string;
  /** The API server, without a trailing slash. */
  url: string;
  credentials: ClusterCredentials;
  /** PEM certificates to trust, if not the system's. */
  caData: string | null;
  /** Only when `skipTLSVerify: true` is set explicitly. */
  skipTLSVerify: boolean;
  /** Where the settings came from, for messages. */
  source: 'config' | 'serviceAccount' | 'kubeconfig';
  /** Limit reading to these namespaces (namespaced Roles instead of a ClusterRole). */
  namespaces: string[] | null;
};

/** The settings read from `glidepath.argoRollouts`. @public */
export type ArgoRolloutsConfig = {
  clusters: ClusterConfig[];
  /** How often each cluster's lists are read again. */
  pollIntervalMs: number;
  /** How long one request to an API server may take. */
  requestTimeoutMs: number;
};

/** @public */
export const ARGO_ROLLOUTS_DEFAULTS = {
  pollIntervalMs: 10_000,
  requestTimeoutMs: 10_000,
} as const;

/** Where a pod finds its service account. */
export const SERVICE_ACCOUNT_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';

/** What reading the config may touch, replaceable in tests. @public */
export type ConfigEnvironment = {
  env: Record<string, string | undefined>;
  readFile(path: string): string;
  fileExists(path: string): boolean;
};

const realEnvironment: ConfigEnvironment = {
  env: process.env,
  readFile: file => fs.readFileSync(file, 'utf8'),
  fileExists: file => fs.existsSync(file),
};

const PREFIX = 'glidepath.argoRollouts';
const CLUSTER_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;

function readUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidConfig(PREFIX, key, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidConfig(PREFIX, key, `expected an https URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function readFileFor(
  environment: ConfigEnvironment,
  file: string,
  key: string,
  what: string,
): string {
  try {
    return environment.readFile(file);
  } catch (error) {
    throw invalidConfig(
      PREFIX,
      key,
      `cannot read the ${what} ${file}: ${error.message}`,
    );
  }
}

type KubeconfigEntry = Record<string, unknown>;

function namedEntries(
  document: KubeconfigEntry,
  list: string,
  item: string,
): Map<string, KubeconfigEntry> {
  const entries = new Map<string, KubeconfigEntry>();
  const value = document[list];
  if (!Array.isArray(value)) return entries;
  for (const entry of value) {
    if (entry && typeof entry === 'object' && typeof entry.name === 'string') {
      const inner = (entry as KubeconfigEntry)[item];
      entries.set(
        entry.name,
        inner && typeof inner === 'object' ? (inner as KubeconfigEntry) : {},
      );
    }
  }
  return entries;
}

function text(entry: KubeconfigEntry, key: string): string | undefined {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Resolves a kubeconfig file's context to a cluster's URL, CA and
 * credentials: a token, a token file or a client certificate. Exec plugins
 * and auth providers (`gcloud`, `aws eks get-token`, ...) run programs to get
 * a token; Glidepath does not run them and says so.
 */
export function readKubeconfig(options: {
  file: string;
  context?: string;
  key: string;
  environment: ConfigEnvironment;
}): Pick<ClusterConfig, 'url' | 'credentials' | 'caData' | 'skipTLSVerify'> {
  const { file, key, environment } = options;
  const dir = path.dirname(file);
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, p));
  let document: KubeconfigEntry;
  try {
    document = parseYaml(readFileFor(environment, file, key, 'kubeconfig'));
  } catch (error) {
    if (error.message.startsWith('Invalid config')) throw error;
    throw invalidConfig(
      PREFIX,
      key,
      `the kubeconfig ${file} is not YAML: ${error.message}`,
    );
  }
  if (!document || typeof document !== 'object') {
    throw invalidConfig(PREFIX, key, `the kubeconfig ${file} is empty`);
  }
  const contextName = options.context ?? text(document, 'current-context');
  if (!contextName) {
    throw invalidConfig(
      PREFIX,
      key,
      `the kubeconfig ${file} has no current-context; set 'context' to one of its contexts`,
    );
  }
  const contexts = namedEntries(document, 'contexts', 'context');
  const context = contexts.get(contextName);
  if (!context) {
    throw invalidConfig(
      PREFIX,
      key,
      `the kubeconfig ${file} has no context "${contextName}" (it has ${
        [...contexts.keys()].map(n => `"${n}"`).join(', ') || 'none'
      })`,
    );
  }
  const clusterName = text(context, 'cluster') ?? '';
  const cluster = namedEntries(document, 'clusters', 'cluster').get(
    clusterName,
  );
  if (!cluster || !text(cluster, 'server')) {
    throw invalidConfig(
      PREFIX,
      key,
      `the context "${contextName}" of ${file} names the cluster "${clusterName}", which is not in the file or has no server`,
    );
  }
  const userName = text(context, 'user') ?? '';
  const user = namedEntries(document, 'users', 'user').get(userName) ?? {};
  if (user.exec || user['auth-provider']) {
    throw invalidConfig(
      PREFIX,
      key,
      `the user "${userName}" of ${file} gets its credentials from ${
        user.exec ? 'an exec plugin' : 'an auth provider'
      }, which Glidepath does not run. Give the backend a service account token instead (serviceAccountToken, a kubeconfig user with token or tokenFile, or authProvider: serviceAccount inside the cluster)`,
    );
  }

  const pem = (dataKey: string, fileKey: string, what: string) => {
    const data = text(user, dataKey) ?? text(cluster, dataKey);
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const ref = text(user, fileKey) ?? text(cluster, fileKey);
    return ref ? readFileFor(environment, resolve(ref), key, what) : undefined;
  };

  let credentials: ClusterCredentials = { type: 'none' };
  const token = text(user, 'token');
  const tokenFile = text(user, 'tokenFile');
  const cert = pem(
    'client-certificate-data',
    'client-certificate',
    'client certificate',
  );
  const clientKey = pem('client-key-data', 'client-key', 'client key');
  if (token) credentials = { type: 'token', token };
  else if (tokenFile)
    credentials = { type: 'tokenFile', path: resolve(tokenFile) };
  else if (cert && clientKey) {
    credentials = { type: 'clientCertificate', cert, key: clientKey };
  } else if (user.username || user.password) {
    throw invalidConfig(
      PREFIX,
      key,
      `the user "${userName}" of ${file} uses a username and password, which Kubernetes no longer accepts; use a token`,
    );
  }

  const readCa = (): string | null => {
    const caData = text(cluster, 'certificate-authority-data');
    if (caData) return Buffer.from(caData, 'base64').toString('utf8');
    const caFile = text(cluster, 'certificate-authority');
    return caFile
      ? readFileFor(environment, resolve(caFile), key, 'CA file')
      : null;
  };
  return {
    url: readUrl(text(cluster, 'server')!, key),
    credentials,
    caData: readCa(),
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
  };
}

function readCluster(
  config: Config,
  index: number,
  environment: ConfigEnvironment,
): ClusterConfig {
  const at = `clusters[${index}]`;
  const name = config.getOptionalString('name')?.trim();
  if (!name)
    throw invalidConfig(PREFIX, `${at}.name`, 'every cluster needs a name');
  if (!CLUSTER_NAME.test(name)) {
    throw invalidConfig(
      PREFIX,
      `${at}.name`,
      `"${name}" cannot be used in "argo-rollouts:<cluster>/<namespace>/<name>": use letters, digits, ".", "-" and "_"`,
    );
  }
  const skipTLSVerify = config.getOptionalBoolean('skipTLSVerify') === true;
  const namespaces = config.getOptionalStringArray('namespaces') ?? null;
  if (namespaces && namespaces.length === 0) {
    throw invalidConfig(
      PREFIX,
      `${at}.namespaces`,
      'give at least one namespace, or leave it out to read all',
    );
  }
  const common = {
    name,
    environment: config.getOptionalString('environment')?.trim() || name,
    namespaces,
  };
  const caFromConfig = (): string | null => {
    const caData = config.getOptionalString('caData');
    if (caData) {
      return caData.includes('-----BEGIN')
        ? caData
        : Buffer.from(caData, 'base64').toString('utf8');
    }
    const caFile = config.getOptionalString('caFile');
    return caFile
      ? readFileFor(environment, caFile, `${at}.caFile`, 'CA file')
      : null;
  };

  const kubeconfig = config.getOptionalString('kubeconfig');
  const authProvider = config.getOptionalString('authProvider');
  if (kubeconfig) {
    if (authProvider && authProvider !== 'kubeconfig') {
      throw invalidConfig(
        PREFIX,
        `${at}.authProvider`,
        `"${authProvider}" and 'kubeconfig' cannot both be set`,
      );
    }
    const resolved = readKubeconfig({
      file: kubeconfig,
      context: config.getOptionalString('context'),
      key: `${at}.kubeconfig`,
      environment,
    });
    return {
      ...common,
      ...resolved,
      url: config.getOptionalString('url')
        ? readUrl(config.getString('url'), `${at}.url`)
        : resolved.url,
      caData: caFromConfig() ?? resolved.caData,
      skipTLSVerify: skipTLSVerify || resolved.skipTLSVerify,
      source: 'kubeconfig',
    };
  }

  if (authProvider === 'serviceAccount') {
    const host = environment.env.KUBERNETES_SERVICE_HOST;
    const port = environment.env.KUBERNETES_SERVICE_PORT ?? '443';
    const tokenPath = `${SERVICE_ACCOUNT_DIR}/token`;
    let url = config.getOptionalString('url');
    if (!url) {
      if (!host) {
        throw invalidConfig(
          PREFIX,
          `${at}.authProvider`,
          'serviceAccount reads the cluster from inside a pod, but KUBERNETES_SERVICE_HOST is not set: the backend is not running in Kubernetes. Set url and serviceAccountToken instead',
        );
      }
      url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
    if (!environment.fileExists(tokenPath)) {
      throw invalidConfig(
        PREFIX,
        `${at}.authProvider`,
        `serviceAccount needs the pod's service account token at ${tokenPath}, which does not exist (is automountServiceAccountToken off?)`,
      );
    }
    const caPath = `${SERVICE_ACCOUNT_DIR}/ca.crt`;
    return {
      ...common,
      url: readUrl(url, `${at}.url`),
      credentials: { type: 'tokenFile', path: tokenPath },
      caData:
        caFromConfig() ??
        (environment.fileExists(caPath)
          ? readFileFor(environment, caPath, `${at}.authProvider`, 'CA file')
          : null),
      skipTLSVerify,
      source: 'serviceAccount',
    };
  }
  if (authProvider === 'kubeconfig') {
    throw invalidConfig(
      PREFIX,
      `${at}.kubeconfig`,
      'authProvider: kubeconfig needs kubeconfig: <path of the file>',
    );
  }
  if (authProvider && authProvider !== 'serviceAccountToken') {
    throw invalidConfig(
      PREFIX,
      `${at}.authProvider`,
      `unknown "${authProvider}": use serviceAccount (inside the cluster), or leave it out and set url and serviceAccountToken, or kubeconfig`,
    );
  }

  const url = config.getOptionalString('url');
  if (!url) {
    throw invalidConfig(
      PREFIX,
      `${at}.url`,
      `the cluster "${name}" needs url and serviceAccountToken, or authProvider: serviceAccount, or kubeconfig`,
    );
  }
  const token = config.getOptionalString('serviceAccountToken');
  if (!token) {
    throw invalidConfig(
      PREFIX,
      `${at}.serviceAccountToken`,
      `the cluster "${name}" has a url but no serviceAccountToken`,
    );
  }
  return {
    ...common,
    url: readUrl(url, `${at}.url`),
    credentials: { type: 'token', token: token.trim() },
    caData: caFromConfig(),
    skipTLSVerify,
    source: 'config',
  };
}

/**
 * Reads and checks `glidepath.argoRollouts`. Files it names (kubeconfig, CA,
 * the in-cluster service account) are read now, so a wrong path stops the
 * backend with the key that names it.
 * @public
 */
export function readArgoRolloutsConfig(
  root: Config,
  environment: ConfigEnvironment = realEnvironment,
): ArgoRolloutsConfig {
  const config = root.getOptionalConfig(PREFIX);
  const clusterConfigs = config?.getOptionalConfigArray('clusters') ?? [];
  if (!config || clusterConfigs.length === 0) {
    throw new Error(
      `The Glidepath Argo Rollouts module is installed but '${PREFIX}.clusters' is empty: list the clusters to read, e.g. [{ name: prod, url: https://..., serviceAccountToken: ... }]`,
    );
  }
  const clusters = clusterConfigs.map((c, i) => readCluster(c, i, environment));
  const names = new Set<string>();
  clusters.forEach((cluster, i) => {
    if (names.has(cluster.name)) {
      throw invalidConfig(
        PREFIX,
        `clusters[${i}].name`,
        `"${cluster.name}" is used twice`,
      );
    }
    names.add(cluster.name);
  });
  return {
    clusters,
    pollIntervalMs: readConfigDurationMs(config, 'pollInterval', {
      prefix: PREFIX,
      fallbackMs: ARGO_ROLLOUTS_DEFAULTS.pollIntervalMs,
      minMs: 1000,
    }),
    requestTimeoutMs: readConfigDurationMs(config, 'requestTimeout', {
      prefix: PREFIX,
      fallbackMs: ARGO_ROLLOUTS_DEFAULTS.requestTimeoutMs,
      minMs: 1000,
    }),
  };
}
