import type { Me } from '@jizan/shared';
import Taro from '@tarojs/taro';
import { createApi } from './api';
import { ApiError, createHttpClient, toApiError, type Transport } from './http';
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

/** A URL the server handed out as a path (an uploaded avatar), made loadable from the chat app too. */
export function assetUrl(url: string): string {
  return url.startsWith('/') ? `${baseUrl.replace(/\/$/, '')}${url}` : url;
}

/**
 * Uploads a picture the platform's chooser gave as a local temporary path (which nobody else can
 * load) to POST /v1/me/avatar; the answer is the profile with its new, server-owned avatarUrl.
 */
export async function uploadAvatar(filePath: string): Promise<Me> {
  const token = tokenStore.get();
  const res = await Taro.uploadFile({
    url: `${baseUrl.replace(/\/$/, '')}/v1/me/avatar`,
    filePath,
    name: 'file',
    header: token ? { authorization: `Bearer ${token}` } : {},
  }).catch((e: unknown) => {
    throw new ApiError('NETWORK', e instanceof Error ? e.message : String(e), 0);
  });
  let data: unknown = null;
  try {
    data = JSON.parse(res.data);
  } catch {
    // A proxy's page: toApiError classifies it by status.
  }
  if (res.statusCode < 200 || res.statusCode >= 300) throw toApiError({ statusCode: res.statusCode, data });
  return data as Me;
}
