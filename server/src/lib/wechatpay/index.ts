/** WeChat Pay API v3 on node:crypto and fetch: the client, its verification and decryption, and the platform's shapes. */
export * from './aead.js';
export * from './bill.js';
export * from './client.js';
export * from './errors.js';
export * from './notification.js';
export * from './sign.js';
export * from './types.js';
export * from './verify.js';
