export { CalendarCard } from './CalendarCard';
export { ReleaseCalendarPage } from './ReleaseCalendarPage';
