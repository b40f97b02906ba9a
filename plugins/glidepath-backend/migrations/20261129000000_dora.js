// @ts-check

/*
 * DORA: production deployments and incidents, from Glidepath's own releases
 * and from the tools that post events to /events/deployments and
 * /events/incidents. Each row keeps what was received and, next to it, what
 * Glidepath derived (lead time, whether the deployment was a failed change,
 * by which rule, when the failure started and when service was restored),
 * recomputed for the entity whenever one of its events arrives, so that the
 * DORA queries are aggregates over one table.
 */

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function timestamp(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dora_deployments', table => {
    table.comment('A deployment of one entity to one environment');
    table
      .string('event_id')
      .primary()
      .comment('The sender-given event id; release:<id> for our releases');
    table
      .string('source')
      .notNullable()
      .comment('api (posted) or release (a Glidepath release)');
    table.string('entity_ref').notNullable().comment('Lower-case entity ref');
    table
      .boolean('matched')
      .notNullable()
      .comment('Whether the catalog knew the entity when the event arrived');
    table.string('environment').notNullable();
    table.boolean('production').notNullable();
    table
      .boolean('simulated')
      .notNullable()
      .defaultTo(false)
      .comment('Made up by a simulation (the sandbox), shown as such');
    table.string('version').nullable();
    table.string('commit_sha').nullable();
    table.text('url').nullable();
    timestamp(table, 'deployed_at').notNullable();
    timestamp(table, 'first_commit_at').nullable();
    table
      .string('outcome')
      .notNullable()
      .comment('succeeded, failed, rolled_back or aborted');
    timestamp(table, 'finished_at').nullable();
    // derived
    table.bigInteger('lead_time_ms').nullable();
    table.boolean('failed').notNullable().defaultTo(false);
    table.string('failure_rule').nullable();
    timestamp(table, 'failure_started_at').nullable();
    timestamp(table, 'restored_at').nullable();
    timestamp(table, 'received_at').notNullable();
    timestamp(table, 'updated_at').notNullable();
    table.index(['entity_ref', 'deployed_at'], 'dora_deployments_entity_idx');
    table.index(['production', 'deployed_at'], 'dora_deployments_time_idx');
  });
  // The few events of unknown entities, counted on every DORA query.
  await knex.raw(
    'create index dora_deployments_unmatched_idx on dora_deployments (received_at) where matched = false',
  );

  await knex.schema.createTable('dora_incidents', table => {
    table.comment('An incident, from its open and resolve events');
    table.string('event_id').primary().comment('The sender-given incident id');
    table
      .string('entity_ref')
      .nullable()
      .comment('Null until the create event arrived');
    table.boolean('matched').notNullable().defaultTo(false);
    table.boolean('simulated').notNullable().defaultTo(false);
    table.text('title').nullable();
    table.string('severity').nullable();
    table.text('url').nullable();
    timestamp(table, 'opened_at').nullable();
    timestamp(table, 'resolved_at').nullable();
    table
      .string('deployment_event_id')
      .nullable()
      .comment('Explicit link: the deployment that caused it');
    table
      .string('version')
      .nullable()
      .comment('Explicit link: the version of the entity that caused it');
    // derived
    table.string('attributed_to').nullable().comment('A deployment event id');
    table.string('attribution_rule').nullable();
    table.string('unattributed').nullable().comment('Why no deployment');
    timestamp(table, 'received_at').notNullable();
    timestamp(table, 'updated_at').notNullable();
    table.index(['entity_ref', 'opened_at'], 'dora_incidents_entity_idx');
    table.index(['deployment_event_id'], 'dora_incidents_deployment_idx');
  });
  await knex.raw(
    'create index dora_incidents_unmatched_idx on dora_incidents (received_at) where matched = false',
  );

  await knex.schema.createTable('dora_reports', table => {
    table.comment('The weekly DORA report of a team, as it was written');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table.string('owner_ref').notNullable().comment('The team, lower case');
    timestamp(table, 'period_start').notNullable();
    timestamp(table, 'period_end').notNullable();
    timestamp(table, 'created_at').notNullable();
    table.text('content').notNullable().comment('The report, as JSON');
    table.unique(['owner_ref', 'period_start'], {
      indexName: 'dora_reports_owner_period_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dora_reports');
  await knex.schema.dropTable('dora_incidents');
  await knex.schema.dropTable('dora_deployments');
};
