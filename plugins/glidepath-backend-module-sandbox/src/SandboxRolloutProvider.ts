import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  productionRollout,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import type {
  ObservedRollout,
  ProviderHistory,
  RolloutActionRequest,
  RolloutActionResult,
  RolloutProvider,
  RolloutTarget,
  FaultInjectionRequest,
  RollForwardRequest,
  StartReleaseRequest,
} from '@glidepath/backstage-plugin-node';
import { readSandboxConfig, type SandboxConfig } from './config';
import { sandboxHistory } from './history';
import {
  SandboxFleet,
  sandboxNameProblem,
  type SandboxAction,
  type SandboxFleetEvent,
  type SandboxRollForward,
  type SandboxFleetOptions,
  type SandboxService,
  type SandboxReleaseSimulation,
} from './fleet';
import type { SandboxFault } from './faults';
import { SandboxJournal } from './journal';
import { SandboxMetricsProvider } from './SandboxMetricsProvider';
import {
  startKeyProblem,
  startVersionProblem,
  type SandboxStart,
} from './starts';
import { simulateTraffic, type TrafficWindow } from './traffic';

/** @public */
export type SandboxRolloutProviderOptions = SandboxFleetOptions & {
  /** How long an action takes; none unless given. */
  actionLatencyMs?: number;
  /** The made-up DORA history; none unless given. */
  history?: SandboxConfig['history'];
  /**
   * How long before production a staging target (an environment the
   * annotation names before production) runs each version; per
   * environment between them. Half the release interval unless given.
   */
  stagingLeadMs?: number;
  /** The clock; the system clock unless given. */
  now?: () => Date;
  /**
   * Where the fleet's state is kept: when each service was first seen and
   * what people did (actions, drills, roll forwards), so that replicas on
   * the database and a restarted backend report the same releases. The module passes the
   * Glidepath plugin's database. Without one, the state lives in this
   * object only (tests, benchmarks).
   */
  database?: DatabaseService;
};

/**
 * Glidepath's embedded rollout provider: a simulated fleet. Entities
 * annotated `glidepath.dev/rollout: sandbox:<name>` get a release train that
 * starts a release of `<name>` every release interval, with the strategy of
 * their `glidepath.dev/strategy` annotation, and honours every action as Argo
 * Rollouts would. Nothing is deployed anywhere: the releases, their faults and
 * their traffic are made up, deterministically, from the seed. The traffic is
 * read as metrics through `metricsProvider()`.
 * @public
 */
export class SandboxRolloutProvider implements RolloutProvider {
  readonly id = 'sandbox';
  readonly simulated = true;

  private readonly fleet: SandboxFleet;
  private readonly seed: string;
  private readonly actionLatencyMs: number;
  private readonly now: () => Date;
  private readonly metrics: SandboxMetricsProvider;
  private readonly history?: SandboxConfig['history'];
  private readonly environment: string;
  private readonly stagingLeadMs: number;
  private readonly journal?: SandboxJournal;
  /** The last journal event the fleet has recorded. */
  private lastEventId = 0;

  /**
   * A provider configured by `glidepath.sandbox`, keeping its fleet in
   * `database` when given (see `SandboxRolloutProviderOptions.database`).
   */
  static fromConfig(
    config: Config,
    options?: { now?: () => Date; database?: DatabaseService },
  ): SandboxRolloutProvider {
    return new SandboxRolloutProvider({
      ...readSandboxConfig(config),
      now: options?.now,
      database: options?.database,
    });
  }

  constructor(options: SandboxRolloutProviderOptions) {
    this.fleet = new SandboxFleet(options);
    this.seed = options.seed;
    this.actionLatencyMs = options.actionLatencyMs ?? 0;
    this.now = options.now ?? (() => new Date());
    this.history = options.history;
    this.environment = options.environment;
    this.stagingLeadMs =
      options.stagingLeadMs ?? Math.floor(options.releaseIntervalMs / 2);
    if (options.database) {
      this.journal = new SandboxJournal({
        database: options.database,
        seed: options.seed,
      });
    }
    this.metrics = new SandboxMetricsProvider({
      fleet: this.fleet,
      seed: this.seed,
      now: this.now,
      refresh: this.journal ? () => this.refresh() : undefined,
    });
  }

  /**
   * Resolves once the sandbox's tables are in place (its migrations run,
   * unless the backend skips migrations); every call that needs them waits
   * for it anyway. Resolves at once without a database.
   */
  async ready(): Promise<void> {
    await this.journal?.ready();
  }

  /**
   * Catches the fleet up with the journal: what other replicas (or this one
   * before a restart) did. Nothing to do without a database.
   */
  async refresh(): Promise<void> {
    if (!this.journal) return;
    this.recordAll(await this.journal.read(this.lastEventId));
  }

  private recordAll(entries: Array<{ id: number; event?: SandboxFleetEvent }>) {
    for (const { id, event } of entries) {
      // A concurrent refresh may have recorded it already.
      if (id <= this.lastEventId) continue;
      if (event) this.fleet.record(event);
      this.lastEventId = id;
    }
  }

  /**
   * Learns when the services were first seen, from any replica, with the
   * staging twins of production services (production reads its twin).
   */
  private async firstSightOf(
    services: SandboxService[],
    now: Date,
  ): Promise<void> {
    if (!this.journal) return;
    const names = services.flatMap(service =>
      service.stagedIn
        ? [service.name, service.stagedIn.service]
        : [service.name],
    );
    const unknown = names.filter(name => !this.fleet.knowsFirstSight(name));
    if (!unknown.length) return;
    const seen = await this.journal.firstSeen(unknown, now);
    for (const [name, at] of seen) this.fleet.firstSeen(name, at);
  }

  /**
   * Changes the fleet through the journal: with the journal's write lock,
   * catches up with it, asks `change` what to do at `now` (an event to
   * append, and what to answer), appends the event and records it. Without
   * a database, `change`'s event is recorded in memory.
   */
  private async change(
    service: SandboxService,
    change: (now: Date) => { event?: SandboxFleetEvent; message: string },
  ): Promise<string> {
    const journal = this.journal;
    if (!journal) {
      const { event, message } = change(this.now());
      if (event) this.fleet.record(event);
      return message;
    }
    await this.firstSightOf([service], this.now());
    const { id, event, message } = await journal.writing(async trx => {
      this.recordAll(await journal.read(this.lastEventId, trx));
      const decided = change(this.now());
      return {
        ...decided,
        id: decided.event ? await journal.append(trx, decided.event) : 0,
      };
    });
    if (event) this.recordAll([{ id, event }]);
    return message;
  }

  /**
   * The `sandbox` metrics provider of this fleet: the simulated traffic of
   * the releases this provider reports, faults included. The same object on
   * every call.
   */
  metricsProvider(): SandboxMetricsProvider {
    return this.metrics;
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    const now = this.now();
    if (this.journal) {
      await this.firstSightOf(
        targets
          .filter(t => !sandboxNameProblem(t.ref))
          .map(t => this.serviceOf(t)),
        now,
      );
      await this.refresh();
    }
    return targets.map(target => {
      const problem = sandboxNameProblem(target.ref);
      if (problem) {
        return { entityRef: target.entityRef, error: problem };
      }
      return {
        entityRef: target.entityRef,
        releases: this.fleet.observe(this.serviceOf(target), now),
      };
    });
  }

  /**
   * The simulated service of a target. The target of an environment the
   * entity's annotation names before its production one (staging), when
   * production is a sandbox target too, is the production service's staging
   * twin: it runs the same versions first, `stagingLeadMs` earlier per
   * environment between them (see `SandboxService.follows`). Production's
   * target, when the environment just before it is such a twin, starts only
   * the versions the twin completed (see `SandboxService.stagedIn`).
   */
  private serviceOf(target: RolloutTarget): SandboxService {
    const service: SandboxService = {
      name: target.ref,
      strategy: target.strategy,
    };
    if (!target.environment) return service;
    // In the order the annotation writes them: the sandbox does not read
    // glidepath.environments.
    const rollouts = readGlidepathAnnotations(target.entity).rollouts ?? [];
    const production = productionRollout(rollouts);
    const own = rollouts.findIndex(r => r.environment === target.environment);
    const productionIndex = production ? rollouts.indexOf(production) : -1;
    if (production && own >= 0 && own === productionIndex) {
      const staging = rollouts[own - 1];
      if (
        production.provider === this.id &&
        production.ref === target.ref &&
        staging?.provider === this.id &&
        staging.ref !== production.ref &&
        !sandboxNameProblem(staging.ref)
      ) {
        return {
          ...service,
          stagedIn: { service: staging.ref, leadMs: this.stagingLeadMs },
        };
      }
      return service;
    }
    if (
      !production ||
      production.provider !== this.id ||
      production.ref === target.ref ||
      sandboxNameProblem(production.ref) ||
      own < 0 ||
      own >= productionIndex
    ) {
      return service;
    }
    return {
      ...service,
      follows: {
        service: production.ref,
        leadMs: (productionIndex - own) * this.stagingLeadMs,
      },
    };
  }

  /**
   * The made-up production history of the targets, for DORA: its pace is a
   * team's, not the accelerated train's. It is the past of the live
   * sandbox: each service's history ends where the sandbox's releases of it
   * begin (the earliest one it reported when it first saw the service), its
   * versions leading up to the version deployed then; Glidepath records the
   * releases from there on as they finish. Simulated: Glidepath labels it
   * so. Empty when `glidepath.sandbox.history.enabled` is false.
   */
  async readHistory(
    targets: RolloutTarget[],
    range: { from: Date; to: Date },
  ): Promise<ProviderHistory> {
    if (!this.history?.enabled) return { deployments: [], incidents: [] };
    const valid = targets.filter(target => !sandboxNameProblem(target.ref));
    const now = this.now();
    if (this.journal) {
      await this.firstSightOf(
        valid.map(target => this.serviceOf(target)),
        now,
      );
      await this.refresh();
    }
    return sandboxHistory(
      valid.map(target => {
        const beginning = this.fleet.beginning(this.serviceOf(target), now);
        return {
          entityRef: target.entityRef,
          name: target.ref,
          team: teamOf(target),
          endsAt: beginning.at,
          leadsUpTo: beginning.version,
          patchRadix: beginning.pinned ? 10 : 100,
        };
      }),
      range,
      {
        seed: this.seed,
        environment: this.environment,
        trends: this.history.trends,
      },
    );
  }

  async performAction(
    request: RolloutActionRequest,
  ): Promise<RolloutActionResult> {
    const { target, signal } = request;
    const problem = sandboxNameProblem(target.ref);
    if (problem) {
      throw new InputError(problem);
    }
    const what = `${request.action} ${request.providerReleaseId}`;
    await this.takeActionLatency(signal, what);
    const service = this.serviceOf(target);
    const action: SandboxAction = {
      providerReleaseId: request.providerReleaseId,
      action: request.action,
      reason: request.reason,
      actor: request.actor,
    };
    const message = await this.change(service, now => {
      // A repeated request (the backend retrying after a crash) acts once.
      const done = this.fleet.alreadyDone(service, action, now);
      if (done) return { message: done };
      const rehearsed = this.fleet.rehearse(service, action, now);
      return {
        message: rehearsed.message,
        event: {
          kind: 'action',
          service: service.name,
          at: rehearsed.at,
          action,
        },
      };
    });
    return { message };
  }

  /**
   * Runs the version of a completed release again after a rollback test
   * rolled it back: a new release of `version` (id
   * `<service>@<version>+forward.<n>`, started by the request's actor), on
   * the quick plan of a restore (50%, then 100% after the version's restart
   * time), which succeeds and makes `version` the stable one. Resolves with
   * a message, and no new release, when the target already runs `version`
   * or a release of it is in progress. Refuses with `NotFoundError` for a
   * release the sandbox does not keep, `InputError` for another version
   * than the release's, and `ConflictError` while another release is in
   * progress, for a release that never completed, or once a newer release of
   * the train has started. Kept in the journal, as actions are.
   */
  async rollForward(request: RollForwardRequest): Promise<RolloutActionResult> {
    const { target, signal } = request;
    const problem = sandboxNameProblem(target.ref);
    if (problem) {
      throw new InputError(problem);
    }
    await this.takeActionLatency(
      signal,
      `roll ${request.providerReleaseId} forward`,
    );
    const service = this.serviceOf(target);
    const forward: SandboxRollForward = {
      providerReleaseId: request.providerReleaseId,
      version: request.version,
      reason: request.reason,
      actor: request.actor,
    };
    const message = await this.change(service, now => {
      const rehearsed = this.fleet.rehearseRollForward(service, forward, now);
      return {
        message: rehearsed.message,
        event: rehearsed.changes
          ? {
              kind: 'forward',
              service: service.name,
              at: rehearsed.at,
              forward,
            }
          : undefined,
      };
    });
    return { message };
  }

  /**
   * Starts a release of `request.version` on the target, besides the
   * sandbox's train, for release plans, as Argo Rollouts' `set image`
   * would on a Rollout: a new release (id
   * `<service>@<version>+start.<n>`, started by the request's actor) on the
   * target's strategy, which supersedes (aborts) the release in progress,
   * if any. It carries the fault a drill injected for the target's next
   * release, else the fault the seed gives the version, and is analysed,
   * promoted and rolled back as the train's releases are. The train starts
   * nothing for the target while it runs, nor for
   * `glidepath.sandbox.startedReleaseHold` (an hour) after it ended. An
   * explicit start is not held back by the staging rule of the train
   * (production starts only the versions its staging twin completed): a
   * plan may release straight to production; Glidepath's own gates apply
   * before it calls. Resolves with a message, and no new release, when the
   * idempotency key was used before (kept in the journal, so across
   * restarts and replicas), or when the target already runs the version or
   * a release of it is in progress. Refuses with `InputError` for a name,
   * version or key the sandbox cannot use.
   */
  async startRelease(
    request: StartReleaseRequest,
  ): Promise<RolloutActionResult> {
    const { target, signal } = request;
    const problem =
      sandboxNameProblem(target.ref) ??
      startVersionProblem(request.version) ??
      startKeyProblem(request.idempotencyKey);
    if (problem) {
      throw new InputError(problem);
    }
    await this.takeActionLatency(
      signal,
      `start ${target.ref}@${request.version}`,
    );
    const service = this.serviceOf(target);
    const start: SandboxStart = {
      version: request.version,
      idempotencyKey: request.idempotencyKey,
      reason: request.reason,
      actor: request.actor,
    };
    const message = await this.change(service, now => {
      const rehearsed = this.fleet.rehearseStart(service, start, now);
      return {
        message: rehearsed.message,
        event: rehearsed.record
          ? { kind: 'start', service: service.name, at: rehearsed.at, start }
          : undefined,
      };
    });
    return { message };
  }

  /** Waits `actionLatency`, unless `signal` is aborted first. */
  private async takeActionLatency(
    signal: AbortSignal,
    what: string,
  ): Promise<void> {
    throwIfAborted(signal, what);
    if (this.actionLatencyMs > 0) {
      await delay(this.actionLatencyMs, signal, what);
    }
    throwIfAborted(signal, what);
  }

  /**
   * A rollback drill: the service's next release carries the fault (5% of
   * the canary's requests fail, or 500 ms more latency), which Glidepath's
   * engine should catch and roll back.
   */
  async injectFault(
    request: FaultInjectionRequest,
  ): Promise<RolloutActionResult> {
    const { target } = request;
    const problem = sandboxNameProblem(target.ref);
    if (problem) {
      throw new InputError(problem);
    }
    const fault: SandboxFault =
      request.fault === 'latency'
        ? { kind: 'latency', addedLatencyMs: 500 }
        : { kind: 'error-rate', errorRate: 0.05 };
    const service = this.serviceOf(target);
    const message = await this.change(service, now => {
      const { startsAt, version, why, at } = this.fleet.rehearseFault(
        service,
        now,
      );
      const next =
        startsAt && version
          ? `${version} at ${startsAt.toISOString()} (or a release started on request before it)`
          : `the next one started on request (${why})`;
      return {
        message: `The sandbox's next release of ${
          target.ref
        }, ${next}, carries the drill's fault: ${
          fault.kind === 'latency'
            ? '500 ms more latency on the canary'
            : '5% of the canary’s requests fail'
        }`,
        event: { kind: 'fault', service: service.name, at, fault },
      };
    });
    return { message };
  }

  /**
   * What the sandbox keeps about a release for the analysis engine: its fault
   * and how its canary weight moved. The release's service must have been
   * listed before.
   */
  getSimulation(providerReleaseId: string): SandboxReleaseSimulation {
    return this.fleet.simulation(providerReleaseId, this.now());
  }

  /**
   * The release's simulated traffic between `from` and `to` (at most now), in
   * whole windows. See `simulateTraffic`.
   */
  getTraffic(
    providerReleaseId: string,
    range: { from: Date; to: Date; windowSeconds?: number },
  ): TrafficWindow[] {
    const now = this.now();
    const release = this.fleet.simulation(providerReleaseId, now);
    return simulateTraffic({
      seed: this.seed,
      release,
      from: range.from,
      to: new Date(Math.min(range.to.getTime(), now.getTime())),
      windowSeconds: range.windowSeconds,
    });
  }
}

/** `what`: what the sandbox was asked to do, e.g. "rollback checkout@1.2.3". */
function cancelled(what: string): Error {
  const error = new Error(`Cancelled before the sandbox could ${what}`);
  error.name = 'AbortError';
  return error;
}

function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw cancelled(what);
}

function delay(ms: number, signal: AbortSignal, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled(what));
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The owning team's name (`group:default/team-x` -> `team-x`). */
function teamOf(target: RolloutTarget): string {
  const owner = String(target.entity.spec?.owner ?? 'unowned');
  return owner.slice(owner.lastIndexOf('/') + 1).replace(/^group:/, '');
}
