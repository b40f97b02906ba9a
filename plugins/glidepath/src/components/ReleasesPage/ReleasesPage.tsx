import { Content } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useSearchParams } from 'react-router-dom';
import { InFlightFilters } from '../../lib/plans';
import { CalendarTab } from './CalendarTab';
import { InFlightTab } from './InFlightTab';
import { PlansTab } from './PlansTab';

const TABS = [
  { id: 'in-flight', label: 'In flight' },
  { id: 'plans', label: 'Plans' },
  { id: 'calendar', label: 'Calendar' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The Releases page: every release in flight across the company now
 * (filtered by team, system and environment), the release plans, and the
 * calendar of release trains and freezes. The tab and the filters are in
 * the address, so a filtered view can be shared.
 */
export function ReleasesPage() {
  const [params, setParams] = useSearchParams();
  const tab: TabId =
    TABS.find(t => t.id === params.get('tab'))?.id ?? 'in-flight';
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  const filters: InFlightFilters = {
    owner: params.get('team') ?? undefined,
    system: params.get('system') ?? undefined,
    environment: params.get('environment') ?? undefined,
  };

  return (
    <Content>
      <Typography variant="body1" color="textSecondary" paragraph>
        What is being released across the company: each release rolling out now,
        the release plans that take several services out together in dependency
        order, and when trains leave and freezes hold.
      </Typography>
      <Box mb={3} borderBottom={1} borderColor="divider">
        <Tabs
          value={tab}
          onChange={(_e, value: TabId) =>
            update({ tab: value === 'in-flight' ? undefined : value })
          }
          indicatorColor="primary"
          textColor="primary"
          aria-label="Releases"
        >
          {TABS.map(t => (
            <Tab
              key={t.id}
              value={t.id}
              label={t.label}
              id={`glidepath-releases-tab-${t.id}`}
              aria-controls={`glidepath-releases-panel-${t.id}`}
            />
          ))}
        </Tabs>
      </Box>
      <div
        role="tabpanel"
        id={`glidepath-releases-panel-${tab}`}
        aria-labelledby={`glidepath-releases-tab-${tab}`}
      >
        {tab === 'in-flight' && (
          <InFlightTab
            filters={filters}
            onFiltersChange={f =>
              update({
                team: f.owner,
                system: f.system,
                environment: f.environment,
              })
            }
          />
        )}
        {tab === 'plans' && <PlansTab />}
        {tab === 'calendar' && (
          <CalendarTab
            team={params.get('calendarTeam') ?? undefined}
            onTeamChange={team => update({ calendarTeam: team })}
          />
        )}
      </div>
    </Content>
  );
}
