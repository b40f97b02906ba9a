import { readIsoTimestamp, readOptionalIsoTimestamp } from './timestamps';

describe('readIsoTimestamp', () => {
  const iso = '2026-03-04T05:06:07.089Z';

  it.each([
    ['a Date (PostgreSQL)', new Date(iso)],
    ['epoch milliseconds (better-sqlite3)', Date.parse(iso)],
    ['epoch milliseconds as text', String(Date.parse(iso))],
    ['ISO text', iso],
    ['ISO text with an offset', '2026-03-04T07:06:07.089+02:00'],
    ["SQLite's CURRENT_TIMESTAMP text (UTC)", '2026-03-04 05:06:07.089'],
  ])('reads %s', (_name, value) => {
    expect(readIsoTimestamp(value)).toBe(iso);
  });

  it('rejects what is not a timestamp', () => {
    expect(() => readIsoTimestamp('yesterday-ish')).toThrow(
      'Unreadable timestamp',
    );
  });

  it('keeps a missing timestamp as null', () => {
    expect(readOptionalIsoTimestamp(null)).toBeNull();
    expect(readOptionalIsoTimestamp(undefined)).toBeNull();
  });
});
