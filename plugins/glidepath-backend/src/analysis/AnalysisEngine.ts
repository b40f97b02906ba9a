import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ActionType,
  Analysis,
  awaitsPromotion,
  ChecklistGate,
  readGlidepathAnnotations,
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type { MetricsTarget } from '@glidepath/backstage-plugin-node';
import { decide, Decision, JudgePolicy, MetricsOutcome } from './judge';
import {
  CHECKLIST_ACTOR,
  checklistHold,
  pausedByChecklist,
} from '../checklists/checklistHold';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { ActionStore } from '../releases/ActionStore';
import type { ReleaseStore } from '../releases/ReleaseStore';
import type { ActionSubmitter } from '../releases/submitAction';
import type { AnalysisStore } from './AnalysisStore';
import type { MetricsProviderRegistry } from '../releases/ProviderRegistry';
import { readMetrics } from './readMetrics';
import { ReleaseNotifier } from '../releases/ReleaseNotifier';
import { errorMessage } from '../shared/errors';

/** The production rollback gate as the engine applies it (issue 20). */
export type EngineRollbackGate = {
  gateHold(
    release: Release,
    entity: Entity,
    latestAction: ReleaseAction | undefined,
  ): Promise<
    | { action: 'pause' | 'resume'; reason: string; idempotencyKey: string }
    | undefined
  >;
  /** True when the action is a pause the gate asked for, in effect. */
  pausedByGate(action: ReleaseAction | undefined): boolean;
  /** Whether the gate looks at the release at all (production ones). */
  appliesTo(release: Release): boolean;
  actor: { kind: 'policy'; ref: string; displayName: string };
};

/** What one run of the engine did. */
export type EngineReport = {
  evaluated: number;
  decisions: Record<string, number>;
  skipped: number;
  /** Pauses and resumes asked for by release checklists. */
  checklistActions: number;
  /** Pauses and resumes asked for by the production rollback gate. */
  gateActions: number;
};

const ACTION_OF: Partial<Record<Decision['decision'], ActionType>> = {
  rollback: 'rollback',
  promote: 'promote',
  escalate: 'pause',
};

/**
 * The release-health engine: on each run (a scheduled task, once across
 * replicas) it judges every release whose canary takes traffic, records the
 * analysis, and acts through the same path as a person: rollback on fail,
 * promote when the canary passed a step that waits for a promotion, pause
 * and notify the owners when it could not judge for too long, notify them
 * when it judged too long without enough evidence either way.
 */
export class AnalysisEngine {
  constructor(
    private readonly deps: {
      releases: ReleaseStore;
      actions: ActionStore;
      analyses: AnalysisStore;
      checklists: ChecklistStore;
      /** The production rollback gate, when rollback tests are wired. */
      rollbackGate?: EngineRollbackGate;
      metricsProviders: MetricsProviderRegistry;
      catalog: CatalogService;
      auth: AuthService;
      submit: ActionSubmitter;
      notifier: ReleaseNotifier;
      notifications?: NotificationService;
      policies: Map<string, JudgePolicy>;
      metricsTimeoutMs: number;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async evaluateAll(): Promise<EngineReport> {
    const report: EngineReport = {
      evaluated: 0,
      decisions: {},
      skipped: 0,
      checklistActions: 0,
      gateActions: 0,
    };
    const active = await this.deps.releases.listActiveReleases();
    const gates = new Map<string, ChecklistGate>();
    // Releases the checklist gate paused still serve their canary: they are
    // judged (and rolled back if they fail) like progressing ones.
    const heldByChecklist = new Set<string>();
    for (const release of active) {
      try {
        const gate = await this.applyChecklist(release);
        if (gate) gates.set(release.id, gate.gate);
        if (gate?.acted) report.checklistActions += 1;
        if (gate?.held) heldByChecklist.add(release.id);
      } catch (error) {
        this.deps.logger.error(
          `Glidepath checklist gate of release ${release.id} (${
            release.entityRef
          }) failed: ${errorMessage(error)}`,
        );
      }
    }
    // Releases the rollback gate paused at their first step are judged too.
    const gate = await this.applyRollbackGate(active);
    report.gateActions = gate.acted;
    for (const id of gate.held) heldByChecklist.add(id);
    const candidates = active.filter(
      release =>
        isJudgeable(release) ||
        (heldByChecklist.has(release.id) &&
          isJudgeable({ ...release, phase: 'progressing' })),
    );
    if (!candidates.length) return report;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: candidates.map(r => r.entityRef) },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    for (const [i, release] of candidates.entries()) {
      const entity = items[i];
      if (!entity) {
        report.skipped += 1;
        continue;
      }
      try {
        if (
          !heldByChecklist.has(release.id) &&
          (await this.pausedByAction(release))
        ) {
          report.skipped += 1;
          continue;
        }
        const analysis = await this.evaluate(
          release,
          entity,
          gates.get(release.id),
        );
        report.evaluated += 1;
        report.decisions[analysis.decision] =
          (report.decisions[analysis.decision] ?? 0) + 1;
      } catch (error) {
        report.skipped += 1;
        this.deps.logger.error(
          `Glidepath analysis of release ${release.id} (${
            release.entityRef
          }) failed: ${errorMessage(error)}`,
        );
      }
    }
    return report;
  }

  /**
   * The production rollback gate: pauses a production release at its first
   * step while its version has no passed rollback test (required), resumes
   * one it paused once a test passed or someone overrode the gate.
   */
  private async applyRollbackGate(
    active: Release[],
  ): Promise<{ acted: number; held: Set<string> }> {
    const result = { acted: 0, held: new Set<string>() };
    const gate = this.deps.rollbackGate;
    const gated = gate ? active.filter(r => gate.appliesTo(r)) : [];
    if (!gate || !gated.length) return result;
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: gated.map(r => r.entityRef) },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    for (const [i, release] of gated.entries()) {
      const entity = items[i];
      if (!entity) continue;
      try {
        const [latestAction] = await this.deps.actions.listActions({
          releaseId: release.id,
          limit: 1,
        });
        if (gate.pausedByGate(latestAction)) result.held.add(release.id);
        const hold = await gate.gateHold(release, entity, latestAction);
        if (!hold) continue;
        const { created } = await this.deps.submit({
          releaseId: release.id,
          action: hold.action,
          reason: hold.reason,
          idempotencyKey: hold.idempotencyKey,
          actor: gate.actor,
        });
        if (created) result.acted += 1;
        if (hold.action === 'pause') result.held.add(release.id);
        else result.held.delete(release.id);
      } catch (error) {
        this.deps.logger.error(
          `Glidepath rollback gate of release ${release.id} (${
            release.entityRef
          }) failed: ${errorMessage(error)}`,
        );
      }
    }
    return result;
  }

  /**
   * The checklist gate: pauses a release that would move into its final
   * step while a required item is open, resumes one it paused once none is.
   */
  private async applyChecklist(
    release: Release,
  ): Promise<
    { gate: ChecklistGate; acted: boolean; held: boolean } | undefined
  > {
    const checklist = await this.deps.checklists.checklistForRelease(release);
    if (!checklist) return undefined;
    const [latestAction] = await this.deps.actions.listActions({
      releaseId: release.id,
      limit: 1,
    });
    const hold = checklistHold({
      release,
      gate: checklist.gate,
      latestAction,
    });
    const held = pausedByChecklist(latestAction);
    if (!hold) return { gate: checklist.gate, acted: false, held };
    const { created } = await this.deps.submit({
      releaseId: release.id,
      action: hold.action,
      reason: hold.reason,
      idempotencyKey: hold.idempotencyKey,
      actor: CHECKLIST_ACTOR,
    });
    return { gate: checklist.gate, acted: created, held };
  }

  /**
   * Judges one release, records the analysis and acts on the decision.
   * `checklist` is the gate of its checklist, which may hold a promote.
   */
  async evaluate(
    release: Release,
    entity: Entity,
    checklist?: ChecklistGate,
  ): Promise<Analysis> {
    const now = (this.deps.now ?? (() => new Date()))();
    const annotations = readGlidepathAnnotations(entity);
    const policyName = annotations.policy ?? 'default';
    const policy =
      this.deps.policies.get(policyName) ?? this.deps.policies.get('default')!;
    const providerId = annotations.metrics?.provider ?? release.provider;
    const provider = this.deps.metricsProviders.get(providerId);

    let outcome: MetricsOutcome;
    const problem = annotations.problems.find(p =>
      [
        'glidepath.dev/metrics',
        'glidepath.dev/slo',
        'glidepath.dev/policy',
      ].includes(p.annotation),
    );
    if (problem) {
      outcome = {
        status: 'no_data',
        reason: `${problem.annotation}: ${problem.message}`,
      };
    } else if (!this.deps.policies.has(policyName)) {
      outcome = {
        status: 'no_data',
        reason: `glidepath.dev/policy names "${policyName}", which is not in glidepath.analysis.policies (known: ${[
          ...this.deps.policies.keys(),
        ].join(', ')})`,
      };
    } else if (!provider) {
      outcome = {
        status: 'no_data',
        reason: this.deps.metricsProviders.unknownProviderMessage(providerId),
      };
    } else {
      const target: MetricsTarget = {
        entityRef: release.entityRef,
        entity,
        // Without glidepath.dev/metrics, the target of the release's own
        // environment (a staging canary is judged on staging's metrics).
        selector:
          annotations.metrics?.selector ??
          (
            annotations.rollouts?.find(
              r => !r.implied && r.environment === release.environment,
            ) ?? annotations.rollout
          )?.ref ??
          '',
        rolloutProvider: release.provider,
        providerReleaseId: release.providerRef,
        version: release.version,
        previousVersion: release.previousVersion,
      };
      outcome = await readMetrics(
        provider,
        target,
        policy,
        {
          from: new Date(release.startedAt),
          to: now,
          sloPercent: annotations.slo,
        },
        this.deps.metricsTimeoutMs,
      );
    }

    const holdRun = await this.deps.analyses.getHoldRun(release.id);
    const decision = decide({
      outcome,
      release,
      policy,
      now,
      holdingSince: holdRun.since,
      escalated: holdRun.escalated,
      checklist,
    });

    let actionId: string | null = null;
    let refused: string | undefined;
    // An escalation for want of evidence only tells the owners: the canary
    // serves and is judged on, rolled back if a rule fails, promoted once
    // every rule passes. One for want of data pauses the release.
    const action =
      decision.decision === 'escalate' && decision.verdict !== 'no_data'
        ? undefined
        : ACTION_OF[decision.decision];
    if (action) {
      ({ actionId, refused } = await this.act(
        release,
        policy,
        decision,
        action,
        holdRun.since ?? now,
      ));
    }
    const analysis = await this.deps.analyses.addAnalysis({
      releaseId: release.id,
      entityRef: release.entityRef,
      evaluatedAt: now.toISOString(),
      // The judged range starts after the warm-up; a gross failure during
      // it was judged on the counts since the canary started.
      from: new Date(
        new Date(release.startedAt).getTime() +
          (outcome.status === 'warming_up' && decision.decision === 'rollback'
            ? 0
            : policy.warmupSeconds * 1000),
      ).toISOString(),
      to: now.toISOString(),
      policy: policy.name,
      metricsProvider: provider?.id ?? null,
      simulated: Boolean(provider?.simulated),
      verdict: decision.verdict,
      decision: decision.decision,
      reason: refused
        ? refusedReason(decision.reason, action!, refused)
        : decision.reason,
      metrics: decision.metrics,
      actionId,
    });
    await this.deps.notifier.notify({
      type: 'analysis-recorded',
      entityRef: release.entityRef,
      releaseId: release.id,
    });
    if (decision.decision === 'rollback' || decision.decision === 'escalate') {
      await this.notifyOwners(entity, release, decision);
    }
    return analysis;
  }

  /**
   * Requests the decision's action. The idempotency key makes the request
   * once per release (rollback: a release is rolled back automatically at
   * most once, whatever step it is seen at afterwards), per release and step
   * (promote) or per hold (pause), however many evaluations reach the same
   * decision while it runs.
   */
  private async act(
    release: Release,
    policy: JudgePolicy,
    decision: Decision,
    action: ActionType,
    holdSince: Date,
  ): Promise<{ actionId: string | null; refused?: string }> {
    const scope = policyActionScope(release, action, holdSince);
    try {
      const { actionId } = await this.deps.submit({
        releaseId: release.id,
        action,
        reason: decision.reason,
        idempotencyKey: `glidepath-policy:${release.id}:${action}:${scope}`,
        actor: {
          kind: 'policy',
          ref: policy.name,
          displayName: `Glidepath policy "${policy.name}"`,
        },
      });
      return { actionId };
    } catch (error) {
      // A refusal (a freeze, the rollback gate) is the release's state, not
      // a fault: the analysis says so, every run, instead of the log.
      if ((error as Error)?.name === 'ConflictError') {
        return { actionId: null, refused: errorMessage(error) };
      }
      this.deps.logger.warn(
        `Glidepath could not ${action} release ${release.id} (${
          release.entityRef
        }) as its analysis decided: ${errorMessage(error)}`,
      );
      return { actionId: null };
    }
  }

  private async notifyOwners(
    entity: Entity,
    release: Release,
    decision: Decision,
  ): Promise<void> {
    const { notifications, logger } = this.deps;
    if (!notifications) return;
    const owners = (entity.relations ?? [])
      .filter(r => r.type === RELATION_OWNED_BY)
      .map(r => r.targetRef);
    if (!owners.length) return;
    const { kind, namespace, name } = parseEntityRef(release.entityRef);
    let title = `Glidepath rolled back ${name} ${release.version}`;
    if (decision.decision === 'escalate') {
      title =
        decision.verdict === 'no_data'
          ? `Glidepath paused ${name} ${release.version}: no usable metrics`
          : `Glidepath cannot decide about ${name} ${release.version} yet: too little evidence`;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: owners },
        payload: {
          title,
          description: decision.reason,
          link: `/catalog/${namespace}/${kind}/${name}/glidepath`,
          severity: decision.decision === 'rollback' ? 'high' : 'normal',
          topic: 'glidepath-release',
          scope: `glidepath:${release.id}:${decision.decision}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Glidepath could not notify the owners of ${stringifyEntityRef(
          entity,
        )}: ${errorMessage(error)}`,
      );
    }
  }

  /** A release someone (or an escalation) paused is left to people. */
  private async pausedByAction(release: Release): Promise<boolean> {
    if (release.phase !== 'paused') return false;
    const [latest] = await this.deps.actions.listActions({
      releaseId: release.id,
      limit: 1,
    });
    return latest?.action === 'pause' && latest.state === 'succeeded';
  }
}

/**
 * Releases the engine judges: a canary or rolling release taking traffic on
 * the new version, progressing or waiting on an indefinite pause. Blue-green
 * previews take no live traffic, so there is nothing to compare.
 */
export function isJudgeable(release: Release): boolean {
  if (release.strategy === 'blue_green') return false;
  if (!(release.canaryWeight > 0)) return false;
  if (release.phase === 'progressing') return true;
  return release.phase === 'paused' && awaitsPromotion(release);
}

/** What a policy action is requested once for (see AnalysisEngine.act). */
export function policyActionScope(
  release: Pick<Release, 'currentStepIndex'>,
  action: ActionType,
  holdSince: Date,
): string {
  if (action === 'rollback') return 'release';
  if (action === 'pause') return `hold-${holdSince.toISOString()}`;
  return `step-${release.currentStepIndex ?? 'none'}`;
}

/**
 * The analysis's reason when its action was refused (a freeze, the rollback
 * gate): what was refused and why first, then what the rules found.
 */
export function refusedReason(
  reason: string,
  action: ActionType,
  refusal: string,
): string {
  const why = refusal.replace(/^Cannot \w+ release \S+ \([^)]*\): /, '');
  const judged = reason.replace(
    /^Promoted (\S+) past step (\d+)/,
    'The canary of $1 passed step $2',
  );
  return `Glidepath did not ${action}: ${why}. ${judged}`;
}
