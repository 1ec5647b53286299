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
