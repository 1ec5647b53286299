/**
 * WeChat Pay API v3 on node:crypto and fetch: the client, its verification and decryption, and
 * the platform's shapes. The simulator of the platform side is server/src/sim/wechatpay.
 *
 * Why not an SDK: the two Node SDKs the platform's community points to each bring an HTTP client
 * we do not use (wechatpay-axios-plugin 0.9: axios, fast-xml-parser and a multipart package, for
 * v2 and v3 at once; wechatpay-node-v3 2.2: superagent 8 and @fidm/x509, pinned), while the
 * server speaks global fetch. What v3 needs is small and all in node:crypto: SHA256-with-RSA
 * signing and verification, AES-256-GCM, RSA-OAEP and X.509 public keys. Written here, every call
 * gets our timeout and typed errors (errors.ts: "refused" apart from "outcome unknown"), which
 * neither SDK gives, and the tests check it against vectors made with openssl and Python.
 */
export * from './aead.js';
export * from './bill.js';
export * from './client.js';
export * from './errors.js';
export * from './notification.js';
export * from './sign.js';
export * from './transfer.js';
export * from './types.js';
export * from './verify.js';
