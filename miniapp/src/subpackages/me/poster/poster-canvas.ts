import Taro from '@tarojs/taro';
import { isH5 } from '../../../platform';
import { drawPoster, POSTER, type PosterImages } from './poster-draw';
import type { PosterFacts } from './poster-facts';

/**
 * The platform side of the poster: finding the canvas, loading its pictures, exporting it. The
 * chat app's 2D canvas is a node from a selector query whose pictures come from `createImage`
 * (loaded from downloaded files); in H5 Taro's Canvas wraps a real <canvas>, and pictures are
 * plain images. The page only calls these.
 */

/** The 2D canvas as both platforms give it: the chat app's node has `createImage`, the browser's does not. */
export interface PosterNode {
  width: number;
  height: number;
  getContext(type: '2d'): CanvasRenderingContext2D;
  createImage?: () => HTMLImageElement;
  toDataURL?: (type?: string) => string;
  clientWidth?: number;
}

/** Why a poster could not be drawn: its code (the server or the platform behind it), or anything else. */
export class PosterError extends Error {
  constructor(
    readonly reason: 'code' | 'draw',
    /** The code's HTTP status when it was the server that said no (404: the card is gone). */
    readonly status: number | null = null,
  ) {
    super(`poster ${reason}${status ? ` ${status}` : ''}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function queryOnce(selector: string): Promise<{ node: PosterNode | null; width: number }> {
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(selector)
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: PosterNode | null; width?: number } | null>) => {
        const r = res?.[0];
        // H5's query answers the node alone for a canvas (no size): the element knows its width.
        resolve({ node: r?.node ?? null, width: r?.width ?? r?.node?.clientWidth ?? 0 });
      });
  });
}

/** The canvas once it is on screen: both platforms render it a moment after the page mounts. */
async function findCanvas(selector: string): Promise<{ node: PosterNode; width: number }> {
  for (let i = 0; i < 40; i++) {
    const found = await queryOnce(selector);
    if (found.node && found.width > 0) {
      // H5: Taro's canvas element sizes its bitmap on its first render, which would wipe a drawing made before it.
      if (isH5()) await sleep(50);
      return { node: found.node, width: found.width };
    }
    await sleep(50);
  }
  throw new PosterError('draw');
}

function pixelRatio(): number {
  const ratio = isH5() ? window.devicePixelRatio : Taro.getWindowInfo().pixelRatio;
  // Above 3 the bitmap only grows: the saved picture is already sharp.
  return Math.min(3, Math.max(1, ratio || 1));
}

function imageFrom(node: PosterNode, src: string, crossOrigin: boolean): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = node.createImage ? node.createImage() : new Image();
    // A picture from another host must allow it, or the canvas could no longer be exported.
    if (crossOrigin && !node.createImage) img.crossOrigin = 'anonymous';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error(`image ${src}`));
    img.src = src;
  });
}

/** A picture by URL as a file the chat app's canvas can load (its images read local files, not any host). */
async function localFile(url: string): Promise<string> {
  const res = await Taro.downloadFile({ url });
  if (res.statusCode !== 200) throw new PosterError('code', res.statusCode);
  return res.tempFilePath;
}

async function loadCode(node: PosterNode, url: string): Promise<HTMLImageElement> {
  if (!isH5()) {
    const file = await localFile(url).catch((e: unknown) => {
      throw e instanceof PosterError ? e : new PosterError('code');
    });
    return imageFrom(node, file, false).catch(() => {
      throw new PosterError('code');
    });
  }
  // Fetched, not set as the image's src, so a refusal's status is known (a 404 card is made again).
  const res = await fetch(url).catch(() => {
    throw new PosterError('code');
  });
  if (!res.ok) throw new PosterError('code', res.status);
  const blobUrl = URL.createObjectURL(await res.blob());
  try {
    return await imageFrom(node, blobUrl, false);
  } catch {
    throw new PosterError('code');
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

/** The avatar, or null: a poster with the initial beats no poster. */
async function loadAvatar(node: PosterNode, url: string | null): Promise<HTMLImageElement | null> {
  if (!url) return null;
  try {
    return await imageFrom(node, isH5() ? url : await localFile(url), true);
  } catch {
    return null;
  }
}

/** Draws the poster into the page's canvas; answers the canvas for exporting. */
export async function renderPoster(selector: string, facts: PosterFacts, urls: { code: string; avatar: string | null }): Promise<PosterNode> {
  const { node, width } = await findCanvas(selector);
  const [code, avatar] = await Promise.all([loadCode(node, urls.code), loadAvatar(node, urls.avatar)]);
  const dpr = pixelRatio();
  const scale = (width / POSTER.width) * dpr;
  node.width = Math.round(POSTER.width * scale);
  node.height = Math.round(POSTER.height * scale);
  const ctx = node.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.scale(scale, scale);
  const images: PosterImages = { code, avatar };
  try {
    drawPoster(ctx, facts, images);
  } catch {
    throw new PosterError('draw');
  }
  return node;
}

export type SaveOutcome = { ok: true } | { ok: false; errMsg: string };

/** The chat app: the drawn canvas as a PNG file, into the user's album (which may ask for permission). */
export async function saveToAlbum(node: PosterNode): Promise<SaveOutcome> {
  try {
    const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas: node as never, fileType: 'png' });
    await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
    return { ok: true };
  } catch (e) {
    return { ok: false, errMsg: String((e as { errMsg?: string })?.errMsg ?? (e as Error)?.message ?? e) };
  }
}

/** H5: the drawn canvas as a PNG the browser downloads (there is no album). */
export function downloadPng(node: PosterNode, fileName: string): void {
  if (!node.toDataURL) throw new PosterError('draw');
  const a = document.createElement('a');
  a.href = node.toDataURL('image/png');
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The settings page, where an album permission refused once can be given again; true when it now is. */
export async function openAlbumSettings(): Promise<boolean> {
  try {
    const res = await Taro.openSetting();
    return res.authSetting['scope.writePhotosAlbum'] === true;
  } catch {
    return false;
  }
}
