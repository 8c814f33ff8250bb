export * from './common';
export * from './platform';
export * from './approvals';
export * from './customers';
export * from './sales-contracts';
export * from './invoices';
export * from './receipts';
export * from './analytics';
