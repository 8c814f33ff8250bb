export * from './common';
export * from './platform';
