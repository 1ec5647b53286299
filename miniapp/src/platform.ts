import Taro from '@tarojs/taro';

/** The one place that asks which build this is: the browser preview (true) or the chat app. */
export function isH5(): boolean {
  return process.env.TARO_ENV === 'h5';
}

/** The platform's scene number for a page opened from Moments (single-page mode, no login). */
export const MOMENTS_SCENE = 1154;

export function isMomentsScene(scene: number | null): boolean {
  return scene === MOMENTS_SCENE;
}

/** How the chat app was opened; H5 has no scene. */
export function launchScene(): number | null {
  if (isH5()) return null;
  try {
    return Taro.getLaunchOptionsSync().scene;
  } catch {
    return null;
  }
}

/** requestSubscribeMessage's answer: `errMsg` and, per template id asked for, accept | reject | ban | filter. */
export type SubscribeSheetResult = { errMsg: string } & Record<string, string>;

/**
 * The platform's subscribe sheet. The chat app shows it (only inside a tap's handler); a browser
 * has none, so the H5 preview answers as a user who ticked every box would, which lets the browser
 * test and the demo earn the credits a send spends.
 */
export async function requestSubscribe(tmplIds: string[]): Promise<SubscribeSheetResult> {
  if (isH5()) {
    const result: SubscribeSheetResult = { errMsg: 'requestSubscribeMessage:ok' };
    for (const id of tmplIds) result[id] = 'accept';
    return result;
  }
    // Taro's Option type demands Alipay's `entityIds` too; WeChat takes `tmplIds` alone.
  const option = { tmplIds } as unknown as Taro.requestSubscribeMessage.Option;
  return (await Taro.requestSubscribeMessage(option)) as unknown as SubscribeSheetResult;
}
