import type { HumanDuration } from '@backstage/types';

export interface Config {
  glidepath?: {
    /**
     * Glidepath's `argo-rollouts` rollout provider. Entities opt in with
     * `glidepath.dev/rollout: argo-rollouts:<cluster>/<namespace>/<name>`,
     * or `argo-rollouts:<cluster>[/<namespace>]` for the Rollouts labelled
     * `backstage.io/kubernetes-id=<the entity's backstage.io/kubernetes-id>`.
     */
    argoRollouts?: {
      /** The clusters to read. At least one. */
      clusters: Array<{
        /** The name used in annotations, e.g. "prod-eu". */
        name: string;
        /** The environment its releases go to. Defaults to the name. */
        environment?: string;
        /**
         * The API server, e.g. "https://k8s.prod-eu.example.com:6443".
         * Required unless authProvider is serviceAccount or kubeconfig is set.
         */
        url?: string;
        /**
         * How the backend authenticates: leave it out and set url and
         * serviceAccountToken; "serviceAccount" uses the pod's own service
         * account (in-cluster: token and CA from
         * /var/run/secrets/kubernetes.io/serviceaccount, host from
         * KUBERNETES_SERVICE_HOST/PORT).
         */
        authProvider?: 'serviceAccount' | 'serviceAccountToken' | 'kubeconfig';
        /**
         * A service account token for the API server.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * The CA certificates to trust, PEM or base64 of PEM.
         * @visibility secret
         */
        caData?: string;
        /** A file with the CA certificates to trust. */
        caFile?: string;
        /**
         * Turns TLS verification off. Only for a test cluster; never the
         * default.
         */
        skipTLSVerify?: boolean;
        /**
         * A kubeconfig file to read the cluster's URL, CA and user from
         * (token, tokenFile or client certificate; exec plugins and auth
         * providers are not supported).
         */
        kubeconfig?: string;
        /** The kubeconfig context; its current-context by default. */
        context?: string;
        /**
         * Read only these namespaces, for a backend that has namespaced
         * Roles instead of a ClusterRole. All namespaces by default.
         */
        namespaces?: string[];
      }>;
      /** How often each cluster is read. Defaults to 10 seconds. */
      pollInterval?: HumanDuration | string;
      /** How long one request may take. Defaults to 10 seconds. */
      requestTimeout?: HumanDuration | string;
    };
  };
}
