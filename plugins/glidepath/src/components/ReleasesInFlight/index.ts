export { ReleasesInFlight } from './ReleasesInFlight';
