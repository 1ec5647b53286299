import Taro from '@tarojs/taro';
import { createApi } from './api';
import { createHttpClient, type Transport } from './http';
import { deviceId, loginCode, tokenStore } from './session';

const transport: Transport = async (req) => {
  const res = await Taro.request({
    url: req.url,
    method: req.method as keyof Taro.request.Method,
    header: req.header,
    data: req.data as Record<string, unknown> | undefined,
    dataType: 'json',
    timeout: 15_000,
  });
  return { statusCode: res.statusCode, data: res.data as unknown };
};

/** config/index.ts injects the build-time base: '' (same origin) for H5, a host for the chat app. */
const baseUrl = process.env.TARO_APP_API_BASE ?? '';

export const http = createHttpClient({ baseUrl, transport, tokens: tokenStore, loginCode, deviceId });
export const api = createApi(http);
