/*
 * A seeded, deterministic catalog for the dependency-graph bench.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/graph/generate.ts --size 5000 [--seed glidepath] --out /tmp/dir
 *
 * `size` is the number of graph nodes: components (85%) and resources (15%).
 * Around them: one API for ~40% of the components, systems of ~25 members
 * (and one of exactly 100), ~10 domains, a group for every two systems, and
 * a guest user. Components are created in a hidden rank order, lowest
 * (platform) first; each depends on 1 + Poisson(2) others (mean 3), a fifth
 * of them resources, the rest components of a lower rank picked by
 * preferential attachment (an urn with one ball per component plus one per
 * dependent), so fan-in is heavy-tailed: a few platform services collect
 * hundreds of dependents. A dependency on a component that provides an API
 * goes through `consumesApis` three times out of four, otherwise through
 * `dependsOn`. Three back edges (a low service depending on one two hops
 * above it) make the graph cyclic in a few places. A quarter of the
 * dependencies on components also carry a `glidepath.dev/requires` range
 * (1 in 20 of them broken by the deployed version). Each component gets
 * three production releases for Glidepath's `releases` table.
 *
 * Writes `catalog.yaml` (one multi-document file) and `catalog.json` (what
 * the bench needs to know: expected counts, the chosen roots) to --out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findCycles } from '@glidepath/backstage-plugin-common';
import { stringify } from 'yaml';
import { Rng } from '../canary/random';

export type SeedRelease = {
  entityRef: string;
  version: string;
  previousVersion: string | null;
  phase: 'succeeded' | 'progressing';
  /** Days before now that the release started. */
  daysAgo: number;
};

export type Neighbourhood = {
  root: string;
  depth: number;
  /** Components and resources within `depth` hops, either direction. */
  nodes: number;
  /** The graph's edges between them. */
  edges: number;
};

export type CatalogGraphExpectation = {
  root: string;
  /** catalog-graph's maxDepth: API entities are hops of their own. */
  maxDepth: number;
  /** Entities its breadth-first walk fetches and draws, by kind. */
  components: number;
  resources: number;
  apis: number;
  total: number;
};

export type GeneratedCatalog = {
  seed: string;
  size: number;
  /** Every entity of the file, by kind. */
  kinds: Record<string, number>;
  entities: number;
  /** The graph's nodes (components and resources) and edges. */
  nodes: number;
  edges: number;
  dependencies: number;
  requires: number;
  brokenRequires: number;
  /** The back edges added to make cycles, as [from, to]. */
  backEdges: Array<[string, string]>;
  /** Cycles (strongly connected components) of the graph. */
  cycles: number;
  /** The largest fan-ins: entity ref and number of dependents. */
  topFanIn: Array<[string, number]>;
  meanFanOut: number;
  /** The root whose neighbourhood is closest to 1,000 nodes. */
  large: Neighbourhood;
  /** Ball sizes of the large root at depths 1 to 4. */
  largeByDepth: number[];
  /** catalog-graph from the same root, API hops counted: maxDepth 2 x depth. */
  catalogGraph: CatalogGraphExpectation;
  /** catalog-graph at the maxDepth whose node count is closest to `large`. */
  catalogGraphSameSize: CatalogGraphExpectation;
  catalogGraphByDepth: CatalogGraphExpectation[];
  /** The system of ~100 members and its size. */
  bigSystem: { ref: string; members: number };
  /** Random components for depth-2 neighbourhoods, with their sizes. */
  randomRoots: Neighbourhood[];
  /** The first owner group and a domain, for reference. */
  someGroup: string;
  someDomain: string;
  releases: SeedRelease[];
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

type Dep = {
  target: number;
  via: 'dependsOn' | 'consumesApi';
  requires?: string;
};

/** Balls around a node in an undirected adjacency list, sizes by depth. */
function ballSizes(adjacency: number[][], root: number, maxDepth: number) {
  const seen = new Set([root]);
  let frontier = [root];
  const sizes: number[] = [];
  for (let d = 1; d <= maxDepth; d++) {
    const next: number[] = [];
    for (const n of frontier) {
      for (const m of adjacency[n]) {
        if (!seen.has(m)) {
          seen.add(m);
          next.push(m);
        }
      }
    }
    frontier = next;
    sizes.push(seen.size);
  }
  return { sizes, seen };
}

export function generateCatalog(options: {
  seed: string;
  size: number;
  /** How many random roots to draw for the depth-2 neighbourhoods. */
  randomRoots?: number;
}): { yaml: string; meta: GeneratedCatalog } {
  const { seed, size } = options;
  const rng = new Rng(`${seed}/graph/${size}`);
  const width = String(size).length;
  const resourceCount = Math.round(size * 0.15);
  const componentCount = size - resourceCount;

  // Names do not give the hidden rank away: a shuffled numbering.
  const shuffled = (n: number) => {
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const componentNumbers = shuffled(componentCount);
  const names: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < componentCount; i++) {
    names.push(`svc-${pad(componentNumbers[i], width)}`);
  }
  for (let i = 0; i < resourceCount; i++) {
    names.push(`res-${pad(i, width)}`);
  }
  for (let n = 0; n < size; n++) {
    refs.push(
      `${n < componentCount ? 'component' : 'resource'}:default/${names[n]}`,
    );
  }
  const isComponent = (n: number) => n < componentCount;
  const providesApi = Array.from({ length: componentCount }, () =>
    rng.chance(0.4),
  );
  const apiName = (n: number) => `${names[n]}-api`;

  // Dependencies, lowest rank first, by preferential attachment.
  const deps: Dep[][] = Array.from({ length: componentCount }, () => []);
  const componentUrn: number[] = [];
  const resourceUrn: number[] = Array.from(
    { length: resourceCount },
    (_, i) => componentCount + i,
  );
  for (let i = 0; i < componentCount; i++) {
    const k = 1 + rng.poisson(2);
    const targets = new Set<number>();
    for (let attempt = 0; targets.size < k && attempt < 20 * k; attempt++) {
      const toResource = componentUrn.length === 0 || rng.chance(0.2);
      if (toResource && resourceUrn.length === 0) break;
      targets.add(rng.pick(toResource ? resourceUrn : componentUrn));
    }
    for (const t of targets) {
      (isComponent(t) ? componentUrn : resourceUrn).push(t);
      const via =
        isComponent(t) && providesApi[t] && rng.chance(0.75)
          ? 'consumesApi'
          : 'dependsOn';
      deps[i].push({ target: t, via });
    }
    componentUrn.push(i);
  }

  // A few cycles: c -> d -> e (components) and a new e -> c, each one a
  // cycle of its own (not merged into an earlier one).
  const backEdges: Array<[number, number]> = [];
  const cycleCount = () =>
    findCycles(
      refs.slice(0, componentCount),
      deps.flatMap((list, from) =>
        list
          .filter(d => isComponent(d.target))
          .map(d => ({ from: refs[from], to: refs[d.target] })),
      ),
    ).length;
  for (let attempt = 0; backEdges.length < 3 && attempt < 1000; attempt++) {
    const c =
      Math.floor(componentCount / 2) +
      Math.floor(rng.next() * Math.ceil(componentCount / 2));
    const d = rng.pick(deps[c] ?? [])?.target;
    if (d === undefined || !isComponent(d)) continue;
    const e = rng.pick(deps[d])?.target;
    if (e === undefined || !isComponent(e) || e === c) continue;
    if (deps[e].some(x => x.target === c)) continue;
    deps[e].push({ target: c, via: 'dependsOn' });
    if (cycleCount() === backEdges.length + 1) {
      backEdges.push([e, c]);
    } else {
      deps[e].pop();
    }
  }

  // Version histories: three production releases per component.
  const releases: SeedRelease[] = [];
  /** What runs of each component: the last succeeded version. */
  const deployed: Array<{ major: number; minor: number }> = [];
  for (let i = 0; i < componentCount; i++) {
    let major = 1 + Math.floor(rng.next() * 3);
    let minor = Math.floor(rng.next() * 10);
    let patch = 0;
    let previous: string | null = null;
    const history: Array<{ version: string; major: number; minor: number }> =
      [];
    for (let r = 0; r < 3; r++) {
      if (r > 0) {
        if (rng.chance(0.05)) {
          major++;
          minor = 0;
          patch = 0;
        } else if (rng.chance(0.3)) {
          minor++;
          patch = 0;
        } else {
          patch++;
        }
      }
      const version = `${major}.${minor}.${patch}`;
      history.push({ version, major, minor });
      const phase = r < 2 || rng.chance(0.9) ? 'succeeded' : 'progressing';
      releases.push({
        entityRef: refs[i],
        version,
        previousVersion: previous,
        phase,
        daysAgo: (3 - r) * 7 - rng.next() * 3,
      });
      previous = version;
    }
    const last = releases[releases.length - 1];
    const running = history[last.phase === 'succeeded' ? 2 : 1];
    deployed.push({ major: running.major, minor: running.minor });
  }

  // Version requirements on a quarter of the dependencies on components.
  let requires = 0;
  let brokenRequires = 0;
  for (let i = 0; i < componentCount; i++) {
    for (const dep of deps[i]) {
      if (!isComponent(dep.target) || !rng.chance(0.25)) continue;
      const { major, minor } = deployed[dep.target];
      requires++;
      if (rng.chance(0.05)) {
        brokenRequires++;
        dep.requires = `${refs[dep.target]}@>=${major + 1}.0.0 <${major + 2}`;
      } else {
        const floor = Math.floor(rng.next() * (minor + 1));
        dep.requires = `${refs[dep.target]}@>=${major}.${floor}.0 <${
          major + 1
        }`;
      }
    }
  }

  // Systems: one of 100 members (a fifth of a small catalog), then ~25.
  const order = shuffled(size);
  const systemsOf: number[][] = [];
  const big = Math.min(100, Math.floor(size / 5));
  systemsOf.push(order.slice(0, big));
  for (let at = big; at < size; ) {
    const n = 15 + Math.floor(rng.next() * 21);
    systemsOf.push(order.slice(at, at + n));
    at += n;
  }
  const systemWidth = String(systemsOf.length).length;
  const systemName = (s: number) => `sys-${pad(s, systemWidth)}`;
  const systemOfNode = new Array<number>(size);
  systemsOf.forEach((members, s) =>
    members.forEach(n => (systemOfNode[n] = s)),
  );
  const groupCount = Math.ceil(systemsOf.length / 2);
  const groupWidth = String(groupCount).length;
  const groupName = (g: number) => `team-${pad(g, groupWidth)}`;
  const ownerOfSystem = systemsOf.map((_, s) => Math.floor(s / 2));
  const domainCount = Math.min(10, Math.ceil(systemsOf.length / 3));
  const domainOfSystem = systemsOf.map(() =>
    Math.floor(rng.next() * domainCount),
  );
  const domainName = (d: number) => `domain-${pad(d, 2)}`;
  const ownerRef = (n: number) =>
    `group:default/${groupName(ownerOfSystem[systemOfNode[n]])}`;
  const lifecycle = () => {
    const u = rng.next();
    if (u < 0.85) return 'production';
    return u < 0.95 ? 'experimental' : 'deprecated';
  };

  // The documents.
  const docs: object[] = [];
  const kinds: Record<string, number> = {};
  const add = (doc: any) => {
    kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
    docs.push({ apiVersion: 'backstage.io/v1alpha1', ...doc });
  };
  for (let d = 0; d < domainCount; d++) {
    add({
      kind: 'Domain',
      metadata: { name: domainName(d) },
      spec: { owner: `group:default/${groupName(d % groupCount)}` },
    });
  }
  for (let g = 0; g < groupCount; g++) {
    add({
      kind: 'Group',
      metadata: { name: groupName(g) },
      spec: { type: 'team', children: [] },
    });
  }
  add({
    kind: 'User',
    metadata: { name: 'guest' },
    spec: { memberOf: [groupName(0)] },
  });
  systemsOf.forEach((_, s) =>
    add({
      kind: 'System',
      metadata: { name: systemName(s) },
      spec: {
        owner: `group:default/${groupName(ownerOfSystem[s])}`,
        domain: domainName(domainOfSystem[s]),
      },
    }),
  );
  for (let n = 0; n < size; n++) {
    const system = systemName(systemOfNode[n]);
    if (!isComponent(n)) {
      add({
        kind: 'Resource',
        metadata: { name: names[n] },
        spec: {
          type: rng.pick(['database', 'queue', 'bucket', 'cache']),
          owner: ownerRef(n),
          system,
        },
      });
      continue;
    }
    const dependsOn = deps[n]
      .filter(d => d.via === 'dependsOn')
      .map(d => refs[d.target]);
    const consumesApis = deps[n]
      .filter(d => d.via === 'consumesApi')
      .map(d => `api:default/${apiName(d.target)}`);
    const requirements = deps[n].filter(d => d.requires).map(d => d.requires);
    const spec: Record<string, unknown> = {
      type: rng.chance(0.9) ? 'service' : 'website',
      lifecycle: lifecycle(),
      owner: ownerRef(n),
      system,
    };
    if (dependsOn.length) spec.dependsOn = dependsOn;
    if (consumesApis.length) spec.consumesApis = consumesApis;
    if (providesApi[n]) spec.providesApis = [`api:default/${apiName(n)}`];
    add({
      kind: 'Component',
      metadata: {
        name: names[n],
        ...(requirements.length
          ? {
              annotations: {
                'glidepath.dev/requires': requirements.join(', '),
              },
            }
          : {}),
      },
      spec,
    });
    if (providesApi[n]) {
      add({
        kind: 'API',
        metadata: { name: apiName(n) },
        spec: {
          type: 'openapi',
          lifecycle: 'production',
          owner: ownerRef(n),
          system,
          definition: `openapi: 3.0.0\ninfo: { title: ${apiName(
            n,
          )}, version: 1.0.0 }\npaths: {}\n`,
        },
      });
    }
  }
  const yaml = docs.map(doc => stringify(doc, { lineWidth: 0 })).join('---\n');

  // The graph as Glidepath draws it: an edge per (from, to).
  const edgeKeys = new Set<string>();
  const edgeList: Array<[number, number]> = [];
  const fanIn = new Array<number>(size).fill(0);
  for (let i = 0; i < componentCount; i++) {
    for (const dep of deps[i]) {
      const key = `${i}>${dep.target}`;
      if (edgeKeys.has(key) || dep.target === i) continue;
      edgeKeys.add(key);
      edgeList.push([i, dep.target]);
      fanIn[dep.target]++;
    }
  }
  const adjacency: number[][] = Array.from({ length: size }, () => []);
  for (const [a, b] of edgeList) {
    adjacency[a].push(b);
    adjacency[b].push(a);
  }
  const cycles = findCycles(
    refs,
    edgeList.map(([from, to]) => ({ from: refs[from], to: refs[to] })),
  ).length;

  // The root whose neighbourhood is closest to 1,000 nodes; depth 2 (the
  // entity tab's default) when one is within 5%, else the best of 1 to 4.
  const sizesOf = new Map<number, number[]>();
  for (let i = 0; i < componentCount; i++) {
    sizesOf.set(i, ballSizes(adjacency, i, 4).sizes);
  }
  const closest = (depth: number) => {
    let best = 0;
    for (let i = 1; i < componentCount; i++) {
      const a = Math.abs(sizesOf.get(i)![depth - 1] - 1000);
      const b = Math.abs(sizesOf.get(best)![depth - 1] - 1000);
      if (a < b) best = i;
    }
    return { root: best, depth, nodes: sizesOf.get(best)![depth - 1] };
  };
  const inducedEdges = (root: number, depth: number) => {
    const { seen } = ballSizes(adjacency, root, depth);
    return edgeList.filter(([a, b]) => seen.has(a) && seen.has(b)).length;
  };
  let large = closest(2);
  if (Math.abs(large.nodes - 1000) > 50) {
    for (const depth of [3, 1, 4]) {
      const other = closest(depth);
      if (Math.abs(other.nodes - 1000) < Math.abs(large.nodes - 1000)) {
        large = other;
      }
    }
  }

  // catalog-graph's walk from the same root: every relation among
  // dependsOn/dependencyOf, consumesApi/apiConsumedBy and
  // providesApi/apiProvidedBy, an API being a node of its own.
  const apiNode = (n: number) => size + n;
  const relationAdjacency: number[][] = Array.from(
    { length: size + componentCount },
    () => [],
  );
  const link = (a: number, b: number) => {
    relationAdjacency[a].push(b);
    relationAdjacency[b].push(a);
  };
  for (let i = 0; i < componentCount; i++) {
    if (providesApi[i]) link(i, apiNode(i));
    for (const dep of deps[i]) {
      link(i, dep.via === 'consumesApi' ? apiNode(dep.target) : dep.target);
    }
  }
  const walk = (maxDepth: number): CatalogGraphExpectation => {
    const seen = ballSizes(relationAdjacency, large.root, maxDepth).seen;
    const count = (test: (n: number) => boolean) =>
      [...seen].filter(test).length;
    return {
      root: refs[large.root],
      maxDepth,
      components: count(n => n < componentCount),
      resources: count(n => n >= componentCount && n < size),
      apis: count(n => n >= size),
      total: seen.size,
    };
  };
  const catalogGraphByDepth = Array.from({ length: 2 * large.depth }, (_, i) =>
    walk(i + 1),
  );
  const catalogGraph = catalogGraphByDepth[2 * large.depth - 1];
  // The depth at which catalog-graph draws about as many components and
  // resources as Glidepath's neighbourhood has nodes.
  const catalogGraphSameSize = catalogGraphByDepth.reduce((best, c) =>
    Math.abs(c.components + c.resources - large.nodes) <
    Math.abs(best.components + best.resources - large.nodes)
      ? c
      : best,
  );

  const randomRoots: Neighbourhood[] = [];
  const taken = new Set<number>();
  while (
    randomRoots.length < Math.min(options.randomRoots ?? 60, componentCount)
  ) {
    const i = Math.floor(rng.next() * componentCount);
    if (taken.has(i)) continue;
    taken.add(i);
    randomRoots.push({
      root: refs[i],
      depth: 2,
      nodes: sizesOf.get(i)![1],
      edges: inducedEdges(i, 2),
    });
  }

  const topFanIn = fanIn
    .map((count, n) => [refs[n], count] as [string, number])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);

  return {
    yaml,
    meta: {
      seed,
      size,
      kinds,
      entities: docs.length,
      nodes: size,
      edges: edgeList.length,
      dependencies: deps.reduce((s, d) => s + d.length, 0),
      requires,
      brokenRequires,
      backEdges: backEdges.map(([a, b]) => [refs[a], refs[b]]),
      cycles,
      topFanIn,
      meanFanOut: deps.reduce((s, d) => s + d.length, 0) / componentCount,
      large: {
        root: refs[large.root],
        depth: large.depth,
        nodes: large.nodes,
        edges: inducedEdges(large.root, large.depth),
      },
      largeByDepth: sizesOf.get(large.root)!,
      catalogGraph,
      catalogGraphSameSize,
      catalogGraphByDepth,
      bigSystem: {
        ref: `system:default/${systemName(0)}`,
        members: systemsOf[0].length,
      },
      randomRoots,
      someGroup: `group:default/${groupName(0)}`,
      someDomain: `domain:default/${domainName(0)}`,
      releases,
    },
  };
}

/** Writes catalog.yaml and catalog.json to `dir`; returns their paths. */
export function writeCatalog(
  dir: string,
  generated: { yaml: string; meta: GeneratedCatalog },
): { yamlPath: string; metaPath: string } {
  mkdirSync(dir, { recursive: true });
  const yamlPath = resolve(dir, 'catalog.yaml');
  const metaPath = resolve(dir, 'catalog.json');
  writeFileSync(yamlPath, generated.yaml);
  writeFileSync(metaPath, `${JSON.stringify(generated.meta, null, 2)}\n`);
  return { yamlPath, metaPath };
}

/** A few lines on what was generated. */
export function describeCatalog(meta: GeneratedCatalog): string[] {
  const kinds = Object.entries(meta.kinds)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const random = meta.randomRoots.map(r => r.nodes).sort((a, b) => a - b);
  return [
    `catalog of ${meta.size} graph nodes (seed ${meta.seed}): ${meta.entities} entities: ${kinds}`,
    `  ${meta.edges} edges from ${
      meta.dependencies
    } dependencies (mean fan-out ${meta.meanFanOut.toFixed(
      2,
    )} per component), ${meta.requires} with a requires range (${
      meta.brokenRequires
    } broken), ${meta.backEdges.length} back edges -> ${meta.cycles} cycles`,
    `  largest fan-in: ${meta.topFanIn
      .map(([ref, n]) => `${ref.replace(/^.*\//, '')} ${n}`)
      .join(', ')}`,
    `  ~1,000-node root: ${meta.large.root} at depth ${meta.large.depth}: ${
      meta.large.nodes
    } nodes, ${meta.large.edges} edges (depth 1-4: ${meta.largeByDepth.join(
      ', ',
    )})`,
    `  catalog-graph from that root at maxDepth ${
      meta.catalogGraph.maxDepth
    }: ${meta.catalogGraph.total} entities (${
      meta.catalogGraph.components
    } components, ${meta.catalogGraph.resources} resources, ${
      meta.catalogGraph.apis
    } APIs); at maxDepth ${meta.catalogGraphSameSize.maxDepth}: ${
      meta.catalogGraphSameSize.total
    } entities (${
      meta.catalogGraphSameSize.components + meta.catalogGraphSameSize.resources
    } components and resources, ${meta.catalogGraphSameSize.apis} APIs)`,
    `  system of ${meta.bigSystem.members}: ${
      meta.bigSystem.ref
    }; random depth-2 neighbourhoods: median ${
      random[Math.floor(random.length / 2)]
    }, min ${random[0]}, max ${random[random.length - 1]} nodes`,
  ];
}

if (require.main === module) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const out = arg('out', '');
  if (!out) {
    console.error(
      'usage: generate.ts --size 5000 [--seed glidepath] --out DIR',
    );
    process.exit(2);
  }
  const started = Date.now();
  const generated = generateCatalog({
    seed: arg('seed', 'glidepath'),
    size: Number(arg('size', '5000')),
  });
  const { yamlPath } = writeCatalog(out, generated);
  describeCatalog(generated.meta).forEach(line => console.log(line));
  console.log(`wrote ${yamlPath} in ${Date.now() - started} ms`);
}
