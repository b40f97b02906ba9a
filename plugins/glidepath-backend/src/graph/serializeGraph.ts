import type { DependencyGraph } from '@glidepath/backstage-plugin-common';

/** The JSON of each node and edge object serialised before, by object. */
const fragments = new WeakMap<object, string>();

function fragment(value: object): string {
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

/**
 * The graph as JSON, the same text as JSON.stringify gives. The nodes and
 * edges that buildGraph took from a previous answer are not serialised
 * again: a release that changed re-serialises only its entity's node and
 * the requirements on it.
 */
export function serializeGraph(graph: DependencyGraph): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(graph)) {
    if (value === undefined) continue;
    const json =
      key === 'nodes' || key === 'edges'
        ? `[${(value as object[]).map(fragment).join(',')}]`
        : JSON.stringify(value);
    parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${parts.join(',')}}`;
}
