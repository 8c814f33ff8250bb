export * from './money';
export * from './calendar-date';
export * from './errors';
export * from './access';
export * from './ledger';
export * from './approvals';
export * from './import';
export * from './kpis';
