import Taro from '@tarojs/taro';
import { createApi } from './api';
import { createHttpClient, type Transport } from './http';
import { deviceId, loginCode, tokenStore } from './session';

const transport: Transport = async (req) => {
  if (req.file) {
    const res = await Taro.uploadFile({ url: req.url, filePath: req.file.path, name: req.file.field, header: req.header });
    let data: unknown = null;
    try {
      data = JSON.parse(res.data);
    } catch {
      // A proxy's page: toApiError classifies it by status.
    }
    return { statusCode: res.statusCode, data };
  }
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

/** A URL the server handed out as a path (an uploaded avatar), made loadable from the chat app too. */
export function assetUrl(url: string): string {
  return url.startsWith('/') ? `${baseUrl.replace(/\/$/, '')}${url}` : url;
}
