// Release plans and the Releases page: the guest plans a coordinated
// release of three of its team's sandbox services through the API
// (listed out of order: checkout-service consumes cart-service's API, which
// consumes pricing-service's), finds it on the Releases page, and watches
// its waves go out in dependency order on the plan's page, one wave after
// the other; the service's Releases tab shows the plan it is in; the
// Releases page lists the releases in flight, filtered by team, and the
// calendar's month and week.
import assert from 'node:assert/strict';
import { backendUrl } from './portal.mjs';
import {
  promoteWithReason,
  shootWidths,
  waitForProgressing,
} from './releases.mjs';

/** In dependency order: each consumes the API of the one before. */
const SERVICES = ['pricing-service', 'cart-service', 'checkout-service'];

/** The guest's Backstage token, as the app gets it. */
async function guestToken() {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200, 'guest sign-in');
  return (await res.json()).backstageIdentity.token;
}

async function api(token, method, path, body, headers = {}) {
  const res = await fetch(`${backendUrl}/api/glidepath${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** The text of each wave's column on the plan page. */
async function waveTexts(page) {
  const texts = [];
  for (let i = 1; i <= SERVICES.length; i++) {
    const column = page.getByTestId(`glidepath-plan-wave-${i}`);
    texts.push((await column.count()) ? await column.innerText() : '');
  }
  return texts;
}

/**
 * Creates a plan of `services` (in this order of names), titled by `name`
 * and the time, through the API.
 */
async function createPlan(token, { name, services, failurePolicy }) {
  const title = `e2e ${name} at ${new Date().toISOString().slice(11, 19)}`;
  const version = `9.${Math.floor(Date.now() / 1000) % 100000}.0`;
  const created = await api(
    token,
    'POST',
    '/plans',
    {
      title,
      members: services.map(name => ({
        entityRef: `component:default/${name}`,
        version,
        environment: 'production',
      })),
      failurePolicy,
    },
    { 'Idempotency-Key': `e2e-${title}` },
  );
  assert.equal(
    created.status,
    201,
    `POST /plans: ${JSON.stringify(created.body)}`,
  );
  return created.body;
}

/** Polls the stored plan until `done(plan)` holds; throws with the plan on timeout. */
async function waitForPlan(token, planId, done, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(token, 'GET', `/plans/${planId}`);
    if (done(body)) return body;
    if (Date.now() > deadline) {
      throw new Error(
        `the plan did not ${what} within ${timeoutMs / 60_000} min: ${
          body.state
        } (${body.stateReason}); ${body.members
          .map(m => `${m.entityRef} ${m.state}`)
          .join(', ')}; waves: ${body.waves
          .map(w => `${w.state}${w.waitingFor ? ` (${w.waitingFor})` : ''}`)
          .join(', ')}`,
      );
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/**
 * The Coordinated release template from the portal: two of the guest's
 * services with a version each, the Checkout train picked by name; the
 * task's link opens the plan, scheduled for the train's next slot, which the
 * guest aborts with a reason.
 */
async function planFromTemplate({ page, shot, appUrl, token, title }) {
  const { body: trains } = await api(token, 'GET', '/calendar/trains');
  const checkoutTrain = trains.items.find(t => t.title === 'Checkout train');
  assert.ok(checkoutTrain, `the e2e config's train: ${JSON.stringify(trains)}`);
  await page.goto(
    `${appUrl}/create/templates/default/glidepath-coordinated-release`,
  );
  const version = `9.${Math.floor(Date.now() / 1000) % 100000}.1`;
  await page.getByRole('textbox', { name: /^Title/ }).fill(title);
  // Two services (the form may start with none or with the two the schema
  // asks for at least), each picked by name with its version.
  const services = page.getByLabel(/^Service/);
  for (let added = 0; (await services.count()) < 2 && added < 2; added++) {
    await page.getByRole('button', { name: /add/i }).first().click();
  }
  for (const [i, name] of ['cart-service', 'checkout-service'].entries()) {
    await services.nth(i).click();
    await services.nth(i).fill(name);
    await page
      .getByRole('option', { name: new RegExp(name) })
      .first()
      .click();
    await page
      .getByRole('textbox', { name: /^Version/ })
      .nth(i)
      .fill(version);
  }
  await shootWidths(page, shot, '99-coordinated-release-form');
  await page.getByRole('button', { name: 'Next', exact: true }).click();

  // When: the train by its name, with its scope and next slot.
  const train = page.getByLabel(/^Or with release train/);
  await train.click();
  const option = page
    .getByTestId('glidepath-train-option')
    .filter({ hasText: 'Checkout train' });
  await option.waitFor();
  assert.match(await option.innerText(), /Owner team-checkout · next slot .+/);
  await option.click();
  assert.equal(await train.inputValue(), 'Checkout train');
  await page.getByText(/^Owner team-checkout · next slot /).waitFor();
  await shootWidths(page, shot, '99b-coordinated-release-train');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  // The task made the plan; its link opens the plan's page, scheduled for
  // the train's next slot (or the one after, if a slot passed meanwhile).
  const open = page
    .getByRole('link', { name: 'Open the plan' })
    .or(page.getByRole('button', { name: 'Open the plan' }))
    .first();
  await open.waitFor({ timeout: 60_000 });
  await open.click();
  await page.waitForURL(/\/glidepath\/plans\/[^/]+$/);
  const planId = page.url().split('/').pop();
  const { body: plan } = await api(token, 'GET', `/plans/${planId}`);
  assert.equal(plan.title, title);
  assert.equal(plan.state, 'scheduled', plan.stateReason);
  assert.equal(plan.trainId, checkoutTrain.id);
  assert.ok(
    checkoutTrain.nextSlots.slice(0, 2).includes(plan.startAt),
    `starts at a slot of the train: ${plan.startAt} (${checkoutTrain.nextSlots})`,
  );
  assert.deepEqual(plan.members.map(m => m.entityRef).sort(), [
    'component:default/cart-service',
    'component:default/checkout-service',
  ]);
  await page
    .getByTestId('glidepath-plan-waiting')
    .getByText(/^Starts /)
    .waitFor();
  await shootWidths(page, shot, '99c-coordinated-release-plan-scheduled');

  // The guest, an owner of both, aborts it with a reason.
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('button')].some(
        b => b.textContent === 'Abort' && !b.disabled,
      ),
    null,
    { timeout: 30_000 },
  );
  await page.getByRole('button', { name: 'Abort', exact: true }).click();
  const dialog = page.getByTestId('glidepath-plan-abort');
  await dialog
    .getByRole('textbox', { name: /Reason/ })
    .fill('Planned from the template in a browser test');
  await dialog.getByTestId('glidepath-plan-abort-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await waitForPlan(
    token,
    planId,
    p => p.state === 'aborted',
    'end aborted',
    60_000,
  );
  await page.getByText('Aborted', { exact: true }).first().waitFor();
}

const memberOf = (plan, name) =>
  plan.members.find(m => m.entityRef === `component:default/${name}`);

export const planTests = [
  [
    'Release plans: a three-service plan runs its waves in dependency order on its page',
    async ({ page, shot, appUrl }) => {
      const token = await guestToken();
      // Out of order on purpose: the plan finds the order. The default
      // gates: each wave's analysis passed (and the rollback test, which
      // does not apply to these production-only services); no soak.
      const plan = await createPlan(token, {
        name: 'plan',
        services: [...SERVICES].reverse(),
        failurePolicy: 'halt',
      });
      const title = plan.title;
      const waveOf = name =>
        plan.members.find(m => m.entityRef === `component:default/${name}`)
          .wave;
      assert.deepEqual(
        SERVICES.map(waveOf),
        [0, 1, 2],
        'one wave per service, dependencies first',
      );

      // The Releases page from the sidebar; the plan on its Plans tab.
      await page.goto(appUrl);
      await page
        .getByRole('link', { name: 'Releases', exact: true })
        .first()
        .click();
      await page.waitForURL(/\/glidepath\/releases/);
      await page.getByRole('tab', { name: 'Plans' }).click();
      const active = page.getByTestId('glidepath-plans-active');
      await active.getByRole('link', { name: title }).waitFor();
      await active
        .getByText(/of 3 waves done/)
        .first()
        .waitFor();
      await shootWidths(page, shot, '80-releases-plans');
      await active.getByRole('link', { name: title }).click();
      await page.waitForURL(new RegExp(`/glidepath/plans/${plan.id}$`));
      await page.getByTestId('glidepath-plan-waves').waitFor();
      await page.getByTestId('glidepath-plan-simulation').first().waitFor();

      // Watch the waves: a wave's service starts only once the one before
      // it has been released, and the page follows on its own.
      const deadline = Date.now() + 15 * 60_000;
      const seen = SERVICES.map(() => ({ started: false, released: false }));
      let shotWave2 = false;
      for (;;) {
        const texts = await waveTexts(page);
        texts.forEach((text, i) => {
          const released = /\bReleased\b/.test(text);
          const started =
            released || /\b(Starting|Releasing|Soaking)\b/.test(text);
          if (started && !seen[i].started) {
            for (let j = 0; j < i; j++) {
              assert.ok(
                seen[j].released || /\bReleased\b/.test(texts[j]),
                `wave ${i + 1} (${SERVICES[i]}) started before wave ${j + 1} (${
                  SERVICES[j]
                }) was released:\n${texts.join('\n---\n')}`,
              );
            }
          }
          seen[i].started ||= started;
          seen[i].released ||= released;
        });
        const body = await page.getByTestId('glidepath-plan').innerText();
        if (/\b(Failed|Aborted|Rolled back)\b/.test(texts.join('\n'))) {
          throw new Error(`the plan did not go through:\n${body}`);
        }
        if (seen[1].started && !seen[1].released && !shotWave2) {
          shotWave2 = true;
          await shootWidths(page, shot, '81-plan-wave-2');
          // The service's Releases tab says which plan it is in.
          await page.goto(
            `${appUrl}/catalog/default/component/cart-service/releases`,
          );
          const card = page.getByTestId('glidepath-entity-plan');
          await card.getByRole('link', { name: title }).waitFor();
          await card.getByText(/This service: .* in wave 2/).waitFor();
          await card.scrollIntoViewIfNeeded();
          await shot('82-entity-plan-card');
          // In flight: the plan's release among them, filtered by team.
          await page.goto(`${appUrl}/glidepath/releases`);
          await page.getByText(/across the company right now/).waitFor();
          await page
            .getByRole('button', { name: /^Team\b/ })
            .first()
            .click();
          await page.getByRole('option', { name: 'Checkout' }).click();
          await page
            .getByRole('link', { name: 'cart-service' })
            .first()
            .waitFor();
          assert.match(
            await page.getByText(/across the company right now/).innerText(),
            /^\d+ of \d+ across/,
          );
          await shootWidths(page, shot, '83-releases-in-flight');
          await page.goto(`${appUrl}/glidepath/plans/${plan.id}`);
          await page.getByTestId('glidepath-plan-waves').waitFor();
          continue;
        }
        if (/\bSucceeded\b/.test(body) && seen.every(s => s.released)) break;
        if (Date.now() > deadline) {
          throw new Error(
            `the plan had not succeeded within 15 minutes:\n${body}`,
          );
        }
        await page.waitForTimeout(2000);
      }
      await page.getByText('3 of 3 waves done', { exact: false }).waitFor();
      await shootWidths(page, shot, '84-plan-succeeded');

      // The stored plan agrees: each wave started after the one before it
      // was done, and each member was released by the provider.
      const done = await api(token, 'GET', `/plans/${plan.id}`);
      assert.equal(done.body.state, 'succeeded');
      const member = name =>
        done.body.members.find(
          m => m.entityRef === `component:default/${name}`,
        );
      for (let i = 1; i < SERVICES.length; i++) {
        const before = member(SERVICES[i - 1]);
        const after = member(SERVICES[i]);
        assert.ok(
          Date.parse(after.startedAt) >= Date.parse(before.completedAt),
          `${SERVICES[i]} started ${after.startedAt}, before ${
            SERVICES[i - 1]
          } was released at ${before.completedAt}`,
        );
        assert.equal(after.state, 'released');
      }
      const timeline = await page
        .getByTestId('glidepath-plan-timeline')
        .innerText();
      assert.match(timeline, /pricing-service/);
      console.log(
        `    (plan ${plan.id}: ${SERVICES.map(
          s => `${s} ${member(s).startedAt} → ${member(s).completedAt}`,
        ).join('; ')})`,
      );
    },
  ],
  [
    'Release plans: a fault in wave 2 rolls the waves back in reverse order and the owners are notified',
    async ({ page, shot, appUrl }) => {
      // statement-service consumes invoice-service, which consumes
      // ledger-service; every release of invoice-service is faulty
      // (e2e/catalog-plans.yaml, e2e/app-config.e2e.yaml).
      const token = await guestToken();
      const plan = await createPlan(token, {
        name: 'failing plan',
        services: ['statement-service', 'ledger-service', 'invoice-service'],
        failurePolicy: 'rollback-all',
      });
      const title = plan.title;
      assert.deepEqual(
        ['ledger-service', 'invoice-service', 'statement-service'].map(
          name => memberOf(plan, name).wave,
        ),
        [0, 1, 2],
      );
      await page.goto(`${appUrl}/glidepath/plans/${plan.id}`);
      await page.getByTestId('glidepath-plan-waves').waitFor();

      const ended = await waitForPlan(
        token,
        plan.id,
        p => !['scheduled', 'running', 'rolling_back'].includes(p.state),
        'end',
        15 * 60_000,
      );
      assert.equal(ended.state, 'rolled_back', ended.stateReason);
      assert.match(ended.stateReason ?? '', /invoice-service/);
      const ledger = memberOf(ended, 'ledger-service');
      const invoice = memberOf(ended, 'invoice-service');
      const statement = memberOf(ended, 'statement-service');
      // Wave 1 went out, wave 2 failed, wave 3 never started.
      assert.ok(ledger.completedAt, 'ledger-service was released first');
      assert.equal(ledger.state, 'rolled_back');
      assert.equal(invoice.state, 'rolled_back');
      assert.equal(statement.state, 'pending');
      assert.equal(statement.startedAt, null);
      // Reverse dependency order: wave 2's rollback before wave 1's.
      assert.ok(
        Date.parse(invoice.rolledBackAt) <= Date.parse(ledger.rolledBackAt),
        `invoice-service rolled back at ${invoice.rolledBackAt}, ledger-service at ${ledger.rolledBackAt}`,
      );
      const rolledBack = ended.events
        .filter(e => e.kind === 'member_rolled_back')
        .map(e => e.entityRef);
      assert.deepEqual(
        rolledBack,
        [
          'component:default/invoice-service',
          'component:default/ledger-service',
        ],
        `the timeline's rollbacks: ${JSON.stringify(ended.events)}`,
      );

      // The page follows on its own: the plan rolled back, each wave's state.
      for (const wave of [1, 2]) {
        await page
          .getByTestId(`glidepath-plan-wave-${wave}`)
          .getByText(/^Rolled back/)
          .first()
          .waitFor();
      }
      assert.doesNotMatch(
        await page.getByTestId('glidepath-plan-wave-3').innerText(),
        /Rolled back|Released|Releasing/,
      );
      await shootWidths(page, shot, '87-plan-rolled-back');

      // The owners (the checkout team, the guest among them) were told.
      await page.goto(`${appUrl}/notifications`);
      await page
        .getByText(`Release plan "${title}" is rolling back`)
        .first()
        .waitFor();
      await page
        .getByText(`Release plan "${title}" rolled back`)
        .first()
        .waitFor();
      await shootWidths(page, shot, '88-plan-notifications');
      console.log(
        `    (rolled back: invoice-service ${invoice.rolledBackAt}, ledger-service ${ledger.rolledBackAt})`,
      );
    },
  ],
  [
    'Release plans: a freeze holds wave 2 and refuses a promote; a release manager lets the plan go on with a reason',
    async ({ page, shot, appUrl }) => {
      // exports-service consumes reports-service and is frozen until 2030
      // (e2e/app-config.e2e.yaml); the guest is a release manager
      // (permission.releaseManagerGroups), who may break a freeze.
      const token = await guestToken();
      const plan = await createPlan(token, {
        name: 'frozen plan',
        services: ['exports-service', 'reports-service'],
        failurePolicy: 'halt',
      });
      const title = plan.title;
      await page.goto(`${appUrl}/glidepath/plans/${plan.id}`);
      const wave2 = page.getByTestId('glidepath-plan-wave-2');
      await wave2.waitFor();

      // Wave 1 goes out; wave 2 waits for the freeze and says so.
      const held = await waitForPlan(
        token,
        plan.id,
        p => p.waves[1].state === 'waiting' || p.state !== 'running',
        'reach wave 2',
        10 * 60_000,
      );
      assert.equal(held.state, 'running', held.stateReason);
      assert.equal(memberOf(held, 'reports-service').state, 'released');
      assert.equal(memberOf(held, 'exports-service').state, 'pending');
      assert.match(
        held.waves[1].waitingFor,
        /Accounting is closing the quarter/,
      );
      await wave2.getByText(/Accounting is closing the quarter/).waitFor();
      await shootWidths(page, shot, '89-plan-held-by-freeze');

      // A promote of exports-service's own canary is refused, with the reason.
      await page.goto(
        `${appUrl}/catalog/default/component/exports-service/releases`,
      );
      await waitForProgressing(page, 150_000);
      const dialog = await promoteWithReason(
        page,
        'e2e: promote during the quarter-end close',
      );
      const error = dialog.getByTestId('glidepath-action-error');
      await error.waitFor();
      const refusal = await error.innerText();
      assert.match(refusal, /^Conflict: /);
      assert.match(refusal, /Accounting is closing the quarter \(e2e\)/);
      await shot('90-promote-refused-during-plan-freeze');
      await dialog.getByRole('button', { name: 'Cancel' }).click();

      // Still held; the release manager lets the plan go on, with a reason.
      const still = await api(token, 'GET', `/plans/${plan.id}`);
      assert.equal(still.body.waves[1].state, 'waiting');
      await page.goto(`${appUrl}/glidepath/plans/${plan.id}`);
      const override = page.getByRole('button', {
        name: 'Release during freeze',
      });
      await override.waitFor();
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('button')].some(
            b => b.textContent === 'Release during freeze' && !b.disabled,
          ),
        null,
        { timeout: 30_000 },
      );
      await override.click();
      const overrideDialog = page.getByTestId('glidepath-plan-freeze-override');
      const REASON = 'Quarter-end exports need the new CSV columns (e2e)';
      await overrideDialog
        .getByRole('textbox', { name: /Reason/ })
        .fill(REASON);
      await shot('91-plan-freeze-override-dialog');
      await overrideDialog
        .getByTestId('glidepath-plan-freeze-override-confirm')
        .click();
      await overrideDialog.waitFor({ state: 'detached' });
      await page.getByText(REASON).first().waitFor();

      const done = await waitForPlan(
        token,
        plan.id,
        p => p.state !== 'running',
        'end after the override',
        10 * 60_000,
      );
      assert.equal(done.state, 'succeeded', done.stateReason);
      assert.equal(memberOf(done, 'exports-service').state, 'released');
      assert.equal(done.freezeOverride?.reason, REASON);
      assert.equal(done.freezeOverride?.by?.ref, 'user:default/guest');
      const audit = done.events.find(e => e.kind === 'freeze_override');
      assert.ok(
        audit,
        `the timeline has the override: ${JSON.stringify(done.events)}`,
      );
      await page.getByText('2 of 2 waves done', { exact: false }).waitFor();
      await page
        .getByTestId('glidepath-plan-timeline')
        .getByText(REASON)
        .first()
        .waitFor();
      await shootWidths(page, shot, '92-plan-released-after-override');
    },
  ],
  [
    'Coordinated release template: the guest plans two services for the next Checkout train, picked by name, and aborts the plan on its page',
    async ({ page, shot, appUrl }) => {
      const token = await guestToken();
      const title = `e2e template plan at ${new Date()
        .toISOString()
        .slice(11, 19)}`;
      try {
        await planFromTemplate({ page, shot, appUrl, token, title });
      } finally {
        // A plan left scheduled would hold its services (a second plan of
        // them is a 409) and start at the train's slot: ended either way.
        const { body } = await api(token, 'GET', '/plans?state=active');
        for (const left of (body.items ?? []).filter(p => p.title === title)) {
          await api(token, 'POST', `/plans/${left.id}/abort`, {
            reason: 'Left by a failed browser test',
          });
        }
      }
    },
  ],
  [
    'Releases page: the calendar shows a month and a week with the freeze',
    async ({ page, shot, appUrl }) => {
      await page.goto(`${appUrl}/glidepath/releases?tab=calendar`);
      const month = page.getByTestId('glidepath-calendar-month');
      await month.waitFor();
      // The e2e config's freeze of order-service runs until 2030.
      await month
        .getByText(/Freeze: Order migration/)
        .first()
        .waitFor();
      await shootWidths(page, shot, '85-releases-calendar-month');
      await page.getByRole('button', { name: 'Week' }).click();
      const week = page.getByTestId('glidepath-calendar-week');
      await week.waitFor();
      assert.equal(await week.getByTestId('glidepath-calendar-day').count(), 7);
      await week
        .getByText('The orders database is being migrated (e2e)')
        .first()
        .waitFor();
      await shootWidths(page, shot, '86-releases-calendar-week');
    },
  ],
];
