/** In-memory stand-in for the few `@tarojs/taro` calls the tested modules make. */
const storage = new Map<string, unknown>();

export function resetTaroStub() {
  storage.clear();
  toasts.length = 0;
}

export const toasts: { title: string }[] = [];

const Taro = {
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  showToast: async (opts: { title: string }) => {
    toasts.push(opts);
  },
  setClipboardData: async () => undefined,
  login: async () => ({ code: 'wx-code' }),
  request: async () => {
    throw new Error('tests must inject a transport');
  },
  stopPullDownRefresh: () => undefined,
};

export default Taro;
export const useShareAppMessage = () => undefined;
export const useDidShow = () => undefined;
export const usePullDownRefresh = () => undefined;
export const useReachBottom = () => undefined;
export const useRouter = () => ({ params: {} });
