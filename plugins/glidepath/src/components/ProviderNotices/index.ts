export { AnnotationProblems, ProviderNotices } from './ProviderNotices';
