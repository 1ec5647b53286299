import { LRUCache } from 'lru-cache';
import type { ShareSceneResponse } from '@jizan/shared';
import { SHARE_PAGE, sharePagePath } from '@jizan/shared/constants';
import { AppError } from '../../lib/errors.js';
import { campaignForRead } from '../campaigns/campaigns.service.js';
import type { PosterCodeSettings } from './poster-code.js';
import { newScene, SCENE_GRACE_MS } from './share-scene.js';
import { findCard, type ShareDeps } from './shares.service.js';
import * as repo from './shares.repository.js';

/** The code's side in pixels: the platform allows 280 to 1280; the poster prints it at about 200 CSS px, sharp at 2×. */
const CODE_WIDTH = 430;

/**
 * Codes already drawn, by scene, per instance: a scene's code never changes, and a poster shared
 * in a big chat is drawn by many, while the platform allows 5,000 codes a minute per app.
 */
const codes = new LRUCache<string, Buffer>({ max: 2_000, maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => b.length });

/**
 * The card's poster code: the platform's unlimited code for the share page with the card's short
 * scene (made on first ask). A platform that cannot be asked answers SERVICE_UNAVAILABLE, which
 * the poster shows as "try again"; nothing else waits on it.
 */
export async function posterCode(deps: ShareDeps & { posterCodes: PosterCodeSettings }, token: string): Promise<Buffer> {
  const share = await findCard(deps, deps.db, token);
  const campaign = await campaignForRead(deps.db, share.campaignId);
  const now = deps.clock.now();
  const expiresAt = new Date(campaign.endsAt.getTime() + SCENE_GRACE_MS);
  let scene = await repo.sceneOf(deps.db, { shareId: share.id, scene: newScene(), expiresAt, at: now });
  scene ??= await repo.sceneOf(deps.db, { shareId: share.id, scene: newScene(), expiresAt, at: now });
  if (!scene) throw new AppError('INTERNAL', 'No poster scene could be made for this card');
  const hit = codes.get(scene);
  if (hit) return hit;
  if (!deps.posterCodes.codes) throw new AppError('SERVICE_UNAVAILABLE', 'No chat platform is configured on this server to draw poster codes');
  let png: Buffer;
  try {
    png = await deps.posterCodes.codes.unlimited({
      scene,
      page: SHARE_PAGE,
      checkPath: deps.posterCodes.checkPath,
      envVersion: deps.posterCodes.envVersion,
      width: CODE_WIDTH,
    });
  } catch (err) {
    throw new AppError('SERVICE_UNAVAILABLE', 'The chat platform did not draw the poster code; try again', { cause: String((err as Error).message ?? err) });
  }
  codes.set(scene, png);
  return png;
}

/** What a scanned poster's scene opens; an unknown scene, or one past its campaign's grace, is SHARE_SCENE_NOT_FOUND. */
export async function resolveScene(deps: Pick<ShareDeps, 'db' | 'clock'>, scene: string): Promise<ShareSceneResponse> {
  const found = await repo.findScene(deps.db, scene);
  if (!found) throw new AppError('SHARE_SCENE_NOT_FOUND', 'This poster code opens no card');
  if (found.expiresAt <= deps.clock.now()) {
    throw new AppError('SHARE_SCENE_NOT_FOUND', 'This poster code has expired: its campaign is over', { expiredAt: found.expiresAt.toISOString() });
  }
  return { token: found.token, path: sharePagePath(found.token) };
}
