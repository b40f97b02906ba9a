import { Content, InfoCard, Link } from '@backstage/core-components';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { GlidepathReleasesInFlightCard } from '@glidepath/backstage-plugin/alpha';
import Grid from '@material-ui/core/Grid';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import HomeIcon from '@material-ui/icons/Home';

/** Where the sidebar's pages lead, and what each is for. */
const PAGES = [
  {
    to: '/catalog',
    title: 'Catalog',
    what: "Tidewater Outfitters' services, APIs, systems and teams; a service's Releases tab shows its live rollout and rolls it back.",
  },
  {
    to: '/glidepath/releases',
    title: 'Releases',
    what: 'Every release in flight across the company, the release plans that take several services out together in dependency order, and a month and week calendar of trains and freezes per team.',
  },
  {
    to: '/glidepath/dependencies',
    title: 'Dependencies',
    what: 'Who depends on whom, the version each runs, broken version requirements and the order to release them in.',
  },
  {
    to: '/glidepath/analytics',
    title: 'Release analytics',
    what: 'DORA measures for the company, each team and each service: six months of trends and weekly reports.',
  },
  {
    to: '/glidepath/flags',
    title: 'Feature flags',
    what: "Every service's feature flags, the stale ones per team, how old they are and the flag debt over six months.",
  },
  {
    to: '/glidepath/game-days',
    title: 'Game days',
    what: 'Release game days: faults injected into canaries on purpose, with the time each took to detect and to recover, the outcome, and every team’s drills over 90 days.',
  },
  {
    to: '/glidepath/calendar',
    title: 'Release calendar',
    what: 'Freeze windows and release trains of the next four weeks, with their reasons and whom they apply to, and feeds for your calendar app.',
  },
  {
    to: '/create',
    title: 'Create',
    what: 'Release checklists, a new service with a canary rollout, and release game days, as templates.',
  },
  {
    to: '/notifications',
    title: 'Notifications',
    what: 'Automatic rollbacks of your services, canaries held for a person, weekly reports.',
  },
];

function HomePage() {
  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography variant="h4" component="h1" gutterBottom>
            Tidewater Outfitters developer portal
          </Typography>
          <Typography variant="body1" color="textSecondary">
            A demo of Glidepath, release coordination for Backstage: every
            service's rollouts, release health and dependencies, canaries that
            roll themselves back, and one-click rollbacks for their owners. The
            releases here come from a simulated fleet.
          </Typography>
        </Grid>
        <Grid item xs={12} lg={8}>
          <GlidepathReleasesInFlightCard />
        </Grid>
        <Grid item xs={12} lg={4}>
          <InfoCard title="In this portal">
            {PAGES.map(page => (
              <Box key={page.to} mb={2}>
                <Typography variant="subtitle1">
                  <Link to={page.to}>{page.title}</Link>
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {page.what}
                </Typography>
              </Box>
            ))}
          </InfoCard>
        </Grid>
      </Grid>
    </Content>
  );
}

/**
 * The portal's home page at `/`: what the portal shows, the releases in
 * flight across the company right now, and the pages in the sidebar.
 */
export const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/',
    title: 'Home',
    icon: <HomeIcon />,
    loader: async () => <HomePage />,
  },
});
