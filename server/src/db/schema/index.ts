export * from './users.js';
export * from './campaigns.js';
export * from './teams.js';
export * from './shares.js';
export * from './likes.js';
export * from './ledger.js';
export * from './idempotency.js';
export * from './groupbuy.js';
