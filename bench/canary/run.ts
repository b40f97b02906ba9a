/*
 * Glidepath's canary judge against emulations of Flagger, Argo Rollouts and
 * Kayenta on a labelled synthetic corpus.
 *
 *   bash bench/canary.sh [--seed glidepath] [--healthy 3000] [--scale 1]
 *     [--duration 10800] [--slo auto|off|99.9] [--scenarios file.json]
 *     [--arm-noise 1] [--only-file] [--workers 2] [--json out.json]
 *
 * Generates the corpus from the seed (and/or reads scenarios and raw
 * recordings from a JSON file, see bench/canary/README.md), runs the four
 * judges on every recording and prints a table per judge and category,
 * breakdowns and the issue's targets for Glidepath's judge.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  CATEGORIES,
  DEFAULT_SIZES,
  generateRecording,
  generateScenarios,
  type CorpusOptions,
  type CorpusSizes,
  type Recording,
  type ScenarioParams,
} from './corpus';
import {
  evaluateRecording,
  formatReport,
  checkTargets,
  figures,
  JUDGE_NAMES,
  type RunResult,
} from './evaluate';
import { parseScenarioFile } from './scenarioFile';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

type Work = {
  scenarios: ScenarioParams[];
  recordings: Recording[];
  seed: string;
};

function corpus(): Work & { options: CorpusOptions } {
  const seed = arg('seed') ?? 'glidepath';
  const scale = Number(arg('scale') ?? '1');
  const sizes: CorpusSizes = {};
  for (const category of CATEGORIES) {
    sizes[category] = Math.round(DEFAULT_SIZES[category] * scale);
    const explicit = arg(category.replace(/_/g, '-'));
    if (explicit !== undefined) sizes[category] = Number(explicit);
  }
  const sloArg = arg('slo') ?? 'auto';
  const options: CorpusOptions = {
    seed,
    sizes,
    durationSeconds: arg('duration') ? Number(arg('duration')) : undefined,
    slo: sloArg === 'auto' || sloArg === 'off' ? sloArg : Number(sloArg),
    armNoise: arg('arm-noise') ? Number(arg('arm-noise')) : undefined,
  };
  let scenarios = flag('only-file') ? [] : generateScenarios(options);
  let recordings: Recording[] = [];
  const file = arg('scenarios');
  if (file) {
    const parsed = parseScenarioFile(readFileSync(file, 'utf8'), options);
    scenarios = scenarios.concat(parsed.scenarios);
    recordings = parsed.recordings;
  }
  return { scenarios, recordings, seed, options };
}

function evaluateShard(work: Work, shard: number, shards: number): RunResult[] {
  const results: RunResult[] = [];
  work.scenarios.forEach((params, i) => {
    if (i % shards !== shard) return;
    results.push(evaluateRecording(generateRecording(params, work.seed)));
  });
  work.recordings.forEach((recording, i) => {
    if ((work.scenarios.length + i) % shards !== shard) return;
    results.push(evaluateRecording(recording));
  });
  return results;
}

async function main() {
  if (process.env.GLIDEPATH_CANARY_WORKER) {
    const [shard, shards] =
      process.env.GLIDEPATH_CANARY_WORKER.split('/').map(Number);
    const results = evaluateShard(corpus(), shard, shards);
    await new Promise<void>(resolve => process.send!(results, () => resolve()));
    return;
  }
  const started = Date.now();
  const work = corpus();
  const total = work.scenarios.length + work.recordings.length;
  const workers = Math.max(
    1,
    Number(arg('workers') ?? Math.min(2, cpus().length)),
  );
  if (arg('policy')) {
    process.stderr.write(
      `canary bench: Glidepath's policy with ${arg('policy')}\n`,
    );
  }
  process.stderr.write(
    `canary bench: ${total} runs (${work.scenarios.length} generated from seed "${work.seed}", ${work.recordings.length} recorded), ${workers} worker(s)\n`,
  );
  let results: RunResult[];
  if (workers === 1) {
    results = evaluateShard(work, 0, 1);
  } else {
    const parts = await Promise.all(
      Array.from(
        { length: workers },
        (_, shard) =>
          new Promise<RunResult[]>((resolve, reject) => {
            const child = fork(__filename, process.argv.slice(2), {
              execArgv: process.execArgv,
              env: {
                ...process.env,
                GLIDEPATH_CANARY_WORKER: `${shard}/${workers}`,
              },
            });
            let received: RunResult[] | undefined;
            child.on('message', message => {
              received = message as RunResult[];
            });
            child.on('error', reject);
            child.on('exit', code =>
              received
                ? resolve(received)
                : reject(new Error(`worker ${shard} exited with ${code}`)),
            );
          }),
      ),
    );
    const order = new Map<string, number>();
    work.scenarios.forEach((s, i) => order.set(s.id, i));
    work.recordings.forEach((r, i) =>
      order.set(r.id, work.scenarios.length + i),
    );
    results = parts
      .flat()
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(formatReport(results));
  process.stdout.write(
    `\n${results.length} runs in ${seconds.toFixed(
      0,
    )} s on ${workers} worker(s)${
      arg('policy') ? `; Glidepath's policy with ${arg('policy')}` : ''
    }.\n`,
  );

  const out = arg('json');
  if (out) {
    const summary: Record<string, Record<string, unknown>> = {};
    for (const judge of JUDGE_NAMES) {
      summary[judge] = {};
      for (const category of [...new Set(results.map(r => r.category))]) {
        summary[judge][category] = figures(
          results.filter(r => r.category === category),
          judge,
        );
      }
      summary[judge].all = figures(results, judge);
    }
    writeFileSync(
      out,
      JSON.stringify(
        {
          seed: work.seed,
          options: work.options,
          policy: arg('policy') ? JSON.parse(arg('policy')!) : null,
          seconds,
          targets: checkTargets(results, 'glidepath'),
          summary,
          runs: results,
        },
        null,
        1,
      ),
    );
    process.stderr.write(`wrote ${out}\n`);
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
