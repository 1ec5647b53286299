import type { CampaignRedPackets, Me } from '@jizan/shared';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { posterCardKey, posterFacts, saveRefusalOf } from '../src/subpackages/me/poster/poster-facts';
import { S } from '../src/strings';
import Taro from './stubs/taro';
import { resetTaroStub, routerParams } from './stubs/taro';

/**
 * The share poster as its sharer meets it: what it says about them, and the page's drawing,
 * failed, saved and album-refused states. The canvas itself (platform glue) is replaced by fakes
 * the test settles; the H5 build's real drawing is looked at in `pnpm shots`.
 */
const api = vi.hoisted(() => ({
  me: vi.fn(),
  campaigns: vi.fn(),
  redPackets: vi.fn(),
  createShare: vi.fn(),
  posterCodePath: (token: string) => `/v1/shares/${token}/poster-code`,
}));
vi.mock('../src/services/client', () => ({ api, http: {}, assetUrl: (u: string) => `https://api.test${u}` }));

const glue = vi.hoisted(() => {
  class PosterError extends Error {
    constructor(
      readonly reason: 'code' | 'draw',
      readonly status: number | null = null,
    ) {
      super(reason);
    }
  }
  return { PosterError, renderPoster: vi.fn(), saveToAlbum: vi.fn(), downloadPng: vi.fn(), openAlbumSettings: vi.fn() };
});
vi.mock('../src/subpackages/me/poster/poster-canvas', () => glue);

const platform = vi.hoisted(() => ({ h5: true }));
vi.mock('../src/platform', async (real) => ({ ...(await real<object>()), isH5: () => platform.h5 }));

const { default: PosterPage } = await import('../src/subpackages/me/poster/index');

const me: Me = { id: 'u1', nickname: '小明', avatarUrl: null, profileCompleted: true, pendingNickname: null, avatarPending: false, avatarHidden: false, createdAt: '2030-01-01T00:00:00Z' };
const tier = (n: number, energy: number, reached: boolean) => ({ tier: n, energy, amount: 188, reached, claimed: false, claimable: reached });
const ladder = (energy: number): CampaignRedPackets => ({
  campaignId: 'c',
  energy,
  tiers: [tier(1, 100, energy >= 100), tier(2, 500, energy >= 500)],
  nextTier: energy >= 500 ? null : { tier: energy >= 100 ? 2 : 1, energy: energy >= 100 ? 500 : 100, amount: 188, energyMissing: (energy >= 100 ? 500 : 100) - energy },
  budget: 10_000,
  budgetLeft: 10_000,
  claimOpen: true,
  claimDeadline: '2099-01-01T00:00:00Z',
  pool: { amount: 0, minTeamEnergy: 0, settled: false, settledAt: null, paid: 0, mine: null },
});

const button = (name: string) => screen.getByRole('button', { name });

beforeEach(() => {
  resetTaroStub();
  for (const fn of [api.me, api.campaigns, api.redPackets, api.createShare, glue.renderPoster, glue.saveToAlbum, glue.downloadPng, glue.openAlbumSettings]) fn.mockReset();
  platform.h5 = true;
  routerParams.campaignId = 'c';
  api.me.mockResolvedValue(me);
  api.redPackets.mockResolvedValue(ladder(40));
  api.createShare.mockResolvedValue({ token: 'tok1', path: '/p', title: 't', imageUrl: '/i' });
  glue.renderPoster.mockResolvedValue({});
});
afterEach(cleanup);

describe('what the poster says', () => {
  it('shows energy against the next rung, the top once every rung is reached, and no bar without rungs', () => {
    expect(posterFacts(me, ladder(40))).toMatchObject({ name: '小明', energy: 40, progressText: '40 / 100', fill: 0.4 });
    expect(posterFacts(me, ladder(120))).toMatchObject({ progressText: '120 / 500', fill: 0.24 });
    expect(posterFacts(me, ladder(600))).toMatchObject({ progressText: S.poster.progressTop, fill: 1 });
    expect(posterFacts(me, { ...ladder(0), tiers: [], nextTier: null })).toMatchObject({ progressText: null });
  });

  it('tells a refused album permission from a cancelled sheet and other failures', () => {
    expect(saveRefusalOf('saveImageToPhotosAlbum:fail auth deny')).toBe('denied');
    expect(saveRefusalOf('saveImageToPhotosAlbum:fail authorize no response')).toBe('denied');
    expect(saveRefusalOf('saveImageToPhotosAlbum:fail cancel')).toBe('cancelled');
    expect(saveRefusalOf('saveImageToPhotosAlbum:fail file not exists')).toBe('failed');
  });
});

describe('the poster page', () => {
  it('says it is drawing until the canvas is done, then offers the download, with the like card\'s code', async () => {
    let finish!: (v: unknown) => void;
    glue.renderPoster.mockReturnValue(new Promise((r) => (finish = r)));
    render(<PosterPage />);
    await waitFor(() => expect(glue.renderPoster).toHaveBeenCalledOnce());
    expect(screen.getAllByText(S.poster.drawing).length).toBeGreaterThan(0);
    expect(button(S.poster.download)).toHaveProperty('disabled', true);
    expect(api.createShare).toHaveBeenCalledWith({ campaignId: 'c', kind: 'like' });
    const [, facts, urls] = glue.renderPoster.mock.calls[0]!;
    expect(facts).toMatchObject({ name: '小明', energy: 40, progressText: '40 / 100' });
    expect(urls).toEqual({ code: 'https://api.test/v1/shares/tok1/poster-code', avatar: null });

    finish({});
    await waitFor(() => expect(button(S.poster.download)).toHaveProperty('disabled', false));
    expect(screen.queryByText(S.poster.drawing)).toBeNull();
    fireEvent.click(button(S.poster.download));
    await screen.findByText(S.poster.downloaded);
    expect(glue.downloadPng).toHaveBeenCalledOnce();
  });

  it('keeps one card for the poster: opening it again asks for no new card (each costs a platform code)', async () => {
    render(<PosterPage />);
    await waitFor(() => expect(glue.renderPoster).toHaveBeenCalledOnce());
    cleanup();
    render(<PosterPage />);
    await waitFor(() => expect(glue.renderPoster).toHaveBeenCalledTimes(2));
    expect(api.createShare).toHaveBeenCalledOnce();
    expect(glue.renderPoster.mock.calls[1]![2].code).toContain('/tok1/');
  });

  it('says the code could not be made and draws it on retry', async () => {
    glue.renderPoster.mockRejectedValueOnce(new glue.PosterError('code', 503));
    render(<PosterPage />);
    await screen.findByText(S.poster.noCode);
    expect(button(S.poster.download)).toHaveProperty('disabled', true);
    fireEvent.click(button(S.common.retry));
    await waitFor(() => expect(button(S.poster.download)).toHaveProperty('disabled', false));
    expect(screen.queryByText(S.poster.noCode)).toBeNull();
    expect(api.createShare).toHaveBeenCalledOnce();
  });

  it('makes a new card when the kept one is gone', async () => {
    Taro.setStorageSync(posterCardKey('u1', 'c'), 'old');
    glue.renderPoster.mockRejectedValueOnce(new glue.PosterError('code', 404));
    api.createShare.mockResolvedValue({ token: 'fresh', path: '/p', title: 't', imageUrl: '/i' });
    render(<PosterPage />);
    await screen.findByText(S.poster.noCode);
    expect(glue.renderPoster.mock.calls[0]![2].code).toContain('/old/');
    fireEvent.click(button(S.common.retry));
    await waitFor(() => expect(glue.renderPoster.mock.calls.some((c) => String(c[2].code).includes('/fresh/'))).toBe(true));
    expect(Taro.getStorageSync(posterCardKey('u1', 'c'))).toBe('fresh');
  });

  it('says a failed drawing failed, with a retry', async () => {
    glue.renderPoster.mockRejectedValueOnce(new Error('boom'));
    render(<PosterPage />);
    await screen.findByText(S.poster.failed);
    fireEvent.click(button(S.common.retry));
    await waitFor(() => expect(screen.queryByText(S.poster.failed)).toBeNull());
  });

  describe('in the chat app', () => {
    beforeEach(() => {
      platform.h5 = false;
    });

    it('saves to the album and says so', async () => {
      glue.saveToAlbum.mockResolvedValue({ ok: true });
      render(<PosterPage />);
      await waitFor(() => expect(button(S.poster.save)).toHaveProperty('disabled', false));
      fireEvent.click(button(S.poster.save));
      await screen.findByText(S.poster.saved);
    });

    it('after a refused album permission, points to the settings; once allowed there, the message goes', async () => {
      glue.saveToAlbum.mockResolvedValue({ ok: false, errMsg: 'saveImageToPhotosAlbum:fail auth deny' });
      glue.openAlbumSettings.mockResolvedValue(true);
      render(<PosterPage />);
      await waitFor(() => expect(button(S.poster.save)).toHaveProperty('disabled', false));
      fireEvent.click(button(S.poster.save));
      await screen.findByText(S.poster.albumDenied);
      expect(screen.queryByText(S.poster.saved)).toBeNull();
      fireEvent.click(button(S.poster.openSettings));
      await waitFor(() => expect(screen.queryByText(S.poster.albumDenied)).toBeNull());
      expect(glue.openAlbumSettings).toHaveBeenCalledOnce();
    });

    it('says nothing when the user cancels the save', async () => {
      glue.saveToAlbum.mockResolvedValue({ ok: false, errMsg: 'saveImageToPhotosAlbum:fail cancel' });
      render(<PosterPage />);
      await waitFor(() => expect(button(S.poster.save)).toHaveProperty('disabled', false));
      fireEvent.click(button(S.poster.save));
      await waitFor(() => expect(glue.saveToAlbum).toHaveBeenCalledOnce());
      await waitFor(() => expect(button(S.poster.save)).toHaveProperty('disabled', false));
      expect(screen.queryByText(S.poster.albumDenied)).toBeNull();
      expect(screen.queryByText(S.poster.saveFailed)).toBeNull();
    });
  });
});
