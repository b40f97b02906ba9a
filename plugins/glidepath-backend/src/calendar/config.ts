import type { Config } from '@backstage/config';

/** The release calendar, `glidepath.calendar`. */
export type CalendarConfig = {
  /**
   * The secret that signs iCalendar feed links (`feeds.secret`); without
   * it, feeds need a Backstage token and calendar apps cannot subscribe.
   */
  feedSecret?: string;
};

/** The shortest secret accepted: 32 characters (e.g. `openssl rand -hex 16`). */
export const MIN_FEED_SECRET_LENGTH = 32;

/** Reads `glidepath.calendar` (the root config's). */
export function readCalendarConfig(rootConfig: Config): CalendarConfig {
  const secret = rootConfig.getOptionalString(
    'glidepath.calendar.feeds.secret',
  );
  if (secret !== undefined && secret.trim().length < MIN_FEED_SECRET_LENGTH) {
    throw new Error(
      `Invalid config at glidepath.calendar.feeds.secret: needs at least ${MIN_FEED_SECRET_LENGTH} characters, so that feed links cannot be guessed (e.g. openssl rand -hex 16)`,
    );
  }
  return { feedSecret: secret?.trim() || undefined };
}
