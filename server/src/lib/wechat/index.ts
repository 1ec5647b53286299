export { WechatClient, REFRESH_BEFORE_MS, type WechatClientOptions, type BinaryAnswer } from './client.js';
export { WechatApiError, WechatUnreachableError, isWechatError, TOKEN_REJECTED, type WechatError } from './errors.js';
export { openWechatPlatform, type WechatPlatform } from './platform.js';
export { dbTokenStore, memoryTokenStore, redisTokenStore, type CachedToken, type TokenStore } from './token-store.js';
