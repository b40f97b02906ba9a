export { ActorName, OwnerLink } from './ActorName';
