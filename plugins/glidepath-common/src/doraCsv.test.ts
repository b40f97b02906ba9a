import { computeDora } from './doraAggregate';
import { doraCsv } from './doraCsv';
import { at, DATASET_FACTS } from './doraFixtures';

describe('doraCsv', () => {
  const report = computeDora(DATASET_FACTS, {
    from: at(0),
    to: at(14),
    bucket: 'week',
    now: at(20),
  });
  const header =
    'scope,bucket_start,bucket_end,deployments,deployments_per_day,' +
    'lead_time_median_hours,lead_time_p90_hours,change_failure_rate,' +
    'failures,recovery_median_hours,recovery_p90_hours,open_failures,' +
    'deployment_frequency_level,lead_time_level,' +
    'change_failure_rate_level,recovery_time_level';

  it('writes a header and one row per bucket', () => {
    expect(doraCsv(report, 'group:default/team-a')).toBe(
      [
        header,
        'group:default/team-a,2024-03-04T00:00:00.000Z,2024-03-11T00:00:00.000Z,' +
          '4,0.571,12,21.6,0.75,3,2,5.2,0,high,elite,low,high',
        'group:default/team-a,2024-03-11T00:00:00.000Z,2024-03-18T00:00:00.000Z,' +
          '4,0.571,168,168,0.5,2,,,2,high,medium,low,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes only the header for an empty series', () => {
    const empty = computeDora([], {
      from: at(0),
      to: at(14),
      bucket: 'week',
      now: at(-1),
    });
    expect(doraCsv(empty, 'all')).toBe(`${header}\r\n`);
  });

  it.each([
    ['group:default/team-a', 'group:default/team-a'],
    ['team a', 'team a'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
  ])('writes the scope %j as %j', (scope, field) => {
    const csv = doraCsv(report, scope);
    const rows = csv.slice(header.length + 2);
    expect(rows.startsWith(`${field},2024-03-04T00:00:00.000Z,`)).toBe(true);
    expect(rows.split(`${field},`)).toHaveLength(3);
  });
});
