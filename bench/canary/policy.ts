/**
 * The policy Glidepath's judge runs with in the bench: the default policy,
 * or the default with the overrides given as JSON by `--policy` (for
 * example `--policy '{"armSpread":0.3,"latency":{"marginShare":0.15}}'`),
 * merged key by key into nested settings. Workers read the same argument.
 */
import {
  DEFAULT_POLICY,
  type JudgePolicy,
} from '../../plugins/glidepath-backend/src/analysis/judge';

/** What a setting is, as a message says it. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  return typeof value;
}

function merge(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(base) || !isObject(override)) {
    if (kind(base) !== kind(override)) {
      throw new Error(
        `--policy: ${path} is a ${kind(base)} in the policy, not a ${kind(
          override,
        )}`,
      );
    }
    return override;
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (!Object.prototype.hasOwnProperty.call(base, key)) {
      throw new Error(
        `--policy: the policy has no ${path ? `${path}.` : ''}${key}`,
      );
    }
    merged[key] = merge(base[key], value, path ? `${path}.${key}` : key);
  }
  return merged;
}

/** The policy with `overrides` (JSON text) merged in; the default without. */
export function benchPolicy(
  overrides: string | undefined = argument('policy'),
): JudgePolicy {
  if (!overrides) return DEFAULT_POLICY;
  let parsed: unknown;
  try {
    parsed = JSON.parse(overrides);
  } catch (e) {
    throw new Error(`--policy is not JSON: ${(e as Error).message}`);
  }
  return merge(DEFAULT_POLICY, parsed, '') as JudgePolicy;
}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The bench's policy, read once. */
export const BENCH_POLICY = benchPolicy();
