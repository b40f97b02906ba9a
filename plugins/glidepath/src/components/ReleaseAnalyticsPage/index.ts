export { ReleaseAnalyticsPage } from './ReleaseAnalyticsPage';
