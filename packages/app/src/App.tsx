import { createApp } from '@backstage/frontend-defaults';
import apiDocsPlugin from '@backstage/plugin-api-docs/alpha';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import glidepathPlugin from '@glidepath/backstage-plugin/alpha';
import { demoPortalModule } from './modules/signIn';

/**
 * The demo portal: the catalog with its graph, API docs and org pages, the
 * scaffolder, notifications and signals, a guest sign-in, and Glidepath
 * (the Releases tab and the release card on annotated entities).
 */
const app = createApp({
  features: [
    catalogPlugin,
    catalogGraphPlugin,
    apiDocsPlugin,
    orgPlugin,
    scaffolderPlugin,
    notificationsPlugin,
    signalsPlugin,
    userSettingsPlugin,
    glidepathPlugin,
    demoPortalModule,
  ],
});

export default app;
