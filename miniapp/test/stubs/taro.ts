/** In-memory stand-in for the few `@tarojs/taro` calls the tested modules make. */
const storage = new Map<string, unknown>();

export const toasts: { title: string }[] = [];
/** Where the page under test navigated: `navigateTo`/`reLaunch` URLs in order. */
export const navigations: string[] = [];
/** What `useRouter().params` returns to the page under test. */
export const routerParams: Record<string, string | undefined> = {};
/** The action sheet the page opened last, and which line the "user" taps (null: dismissed). */
export const actionSheet: { items: string[]; tap: number | null } = { items: [], tap: null };

export function resetTaroStub() {
  storage.clear();
  toasts.length = 0;
  navigations.length = 0;
  for (const k of Object.keys(routerParams)) delete routerParams[k];
  actionSheet.items = [];
  actionSheet.tap = null;
}

const Taro = {
  getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
  removeStorageSync: (key: string) => void storage.delete(key),
  showToast: async (opts: { title: string }) => {
    toasts.push(opts);
  },
  setClipboardData: async () => undefined,
  showActionSheet: async (opts: { itemList: string[] }) => {
    actionSheet.items = opts.itemList;
    if (actionSheet.tap === null) throw new Error('showActionSheet:fail cancel');
    return { tapIndex: actionSheet.tap };
  },
  login: async () => ({ code: 'wx-code' }),
  request: async () => {
    throw new Error('tests must inject a transport');
  },
  stopPullDownRefresh: () => undefined,
  navigateTo: async (opts: { url: string }) => {
    navigations.push(opts.url);
  },
  reLaunch: async (opts: { url: string }) => {
    navigations.push(opts.url);
  },
  navigateBack: async () => undefined,
  getCurrentPages: () => [{}],
  // NutUI asks which platform it renders on.
  getEnv: () => 'WEB',
  pxTransform: (n: number) => `${n}px`,
};

export default Taro;
export const useShareAppMessage = () => undefined;
export const useShareTimeline = () => undefined;
export const useDidShow = () => undefined;
export const usePullDownRefresh = () => undefined;
export const useReachBottom = () => undefined;
export const useRouter = () => ({ params: routerParams });
