import type { Coupon, Group, ProductDetail } from '@jizan/shared';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenPacket } from '../src/components/open-packet';
import { bestCoupon, couponsForList, priceWith, type UsableCoupon } from '../src/logic/coupons';
import { RP, S } from '../src/strings';
import { actionSheet, navigations, resetTaroStub, routerParams } from './stubs/taro';

/** The 拼团券 as a buyer meets it: picked at checkout, its price shown, and listed under my red packets. */
const api = vi.hoisted(() => ({
  product: vi.fn(),
  myCoupons: vi.fn(),
  openGroup: vi.fn(),
  joinGroup: vi.fn(),
  mySubscriptions: vi.fn(async () => ({ templates: [], moments: { after_group: [], after_claim: [], after_like: [] } })),
  recordSubscriptions: vi.fn(async () => undefined),
}));
vi.mock('../src/services/client', () => ({ api, http: {} }));

const { default: ProductPage } = await import('../src/subpackages/groupbuy/product/index');
const { MyCoupons } = await import('../src/subpackages/redpackets/mine/coupons');

const coupon = (id: string, over: Partial<UsableCoupon> = {}): UsableCoupon => ({
  id,
  campaignId: 'c',
  tier: 2,
  amountOff: 1000,
  minSpend: 5000,
  expiresAt: '2099-01-08T00:00:00Z',
  status: 'available',
  orderId: null,
  createdAt: '2099-01-01T00:00:00Z',
  discount: 1000,
  ...over,
});

const cup: ProductDetail = {
  id: 'p',
  campaignId: 'c',
  title: '保温杯',
  images: [],
  price: 9900,
  groupPrice: 5900,
  groupSize: 3,
  groupWindowSeconds: 3600,
  stock: 10,
  perUserLimit: 1,
  openGroups: [
    {
      id: 'g-open',
      opener: { id: 'o', nickname: '小明', avatarUrl: null },
      seatsLeft: 2,
      expiresAt: '2099-01-01T01:00:00Z',
    } as ProductDetail['openGroups'][number],
  ],
};

// A group already paid, so the page goes straight on to the group after placing the order.
const placed = { id: 'g-new', myOrder: { status: 'paid' } } as unknown as Group;

afterEach(cleanup);
beforeEach(() => {
  resetTaroStub();
  vi.clearAllMocks();
  routerParams.id = 'p';
  api.product.mockResolvedValue(cup);
  api.openGroup.mockResolvedValue(placed);
  api.joinGroup.mockResolvedValue(placed);
});

describe('which coupon checkout takes', () => {
  it('takes the largest discount, and of equal ones the one that runs out first', () => {
    const soon = coupon('soon', { expiresAt: '2099-01-02T00:00:00Z' });
    const late = coupon('late');
    const big = coupon('big', { discount: 1500, amountOff: 1500 });
    expect(bestCoupon([late, soon])?.id).toBe('soon');
    expect(bestCoupon([late, soon, big])?.id).toBe('big');
  });

  it('never takes a used one or one that does not fit the product', () => {
    expect(bestCoupon([coupon('used', { status: 'redeemed' }), coupon('nofit', { discount: null })])).toBeNull();
  });

  it('charges the group price less the discount, never below 1 fen', () => {
    expect(priceWith(5900, coupon('a'))).toBe(4900);
    expect(priceWith(5900, null)).toBe(5900);
    expect(priceWith(900, coupon('b', { discount: 899 }))).toBe(1);
  });

  it('lists usable coupons first, soonest to run out on top, then the rest newest first', () => {
    const list = couponsForList([
      coupon('used-old', { status: 'redeemed', createdAt: '2099-01-01T00:00:00Z' }),
      coupon('late', { expiresAt: '2099-02-01T00:00:00Z' }),
      coupon('expired-new', { status: 'expired', createdAt: '2099-01-05T00:00:00Z' }),
      coupon('soon', { expiresAt: '2099-01-03T00:00:00Z' }),
    ]);
    expect(list.map((c) => c.id)).toEqual(['soon', 'late', 'expired-new', 'used-old']);
  });
});

describe('the product page with a coupon', () => {
  it('shows the price after the coupon and redeems it on the order it opens', async () => {
    api.myCoupons.mockResolvedValue({ coupons: [coupon('cp1')] });
    render(<ProductPage />);
    const open = await screen.findByText(`${S.groupbuy.openGroup} ¥49`);
    expect(screen.getByText(RP.coupon.checkoutOff('10'))).toBeTruthy();
    expect(api.myCoupons).toHaveBeenCalledWith('c', 'p');
    await act(async () => void fireEvent.click(open));
    expect(api.openGroup).toHaveBeenCalledWith('p', 'cp1');
    await waitFor(() => expect(navigations.at(-1)).toContain('g-new'));
  });

  it('joins a group with the coupon too', async () => {
    api.myCoupons.mockResolvedValue({ coupons: [coupon('cp1')] });
    render(<ProductPage />);
    await screen.findByText(RP.coupon.checkoutOff('10'));
    await act(async () => void fireEvent.click(screen.getByText(S.groupbuy.joinThis)));
    expect(api.joinGroup).toHaveBeenCalledWith('g-open', 'cp1');
  });

  it('lets the buyer pay without the coupon, and keeps it for later', async () => {
    api.myCoupons.mockResolvedValue({ coupons: [coupon('cp1')] });
    render(<ProductPage />);
    const row = await screen.findByText(RP.coupon.checkoutOff('10'));
    actionSheet.tap = 1; // the line after the only coupon: none
    await act(async () => void fireEvent.click(row));
    expect(actionSheet.items.at(-1)).toBe(RP.coupon.checkoutNone);
    const open = await screen.findByText(`${S.groupbuy.openGroup} ¥59`);
    await act(async () => void fireEvent.click(open));
    expect(api.openGroup).toHaveBeenCalledWith('p', undefined);
  });

  it('keeps the choice when the sheet is dismissed', async () => {
    api.myCoupons.mockResolvedValue({ coupons: [coupon('cp1')] });
    render(<ProductPage />);
    const row = await screen.findByText(RP.coupon.checkoutOff('10'));
    await act(async () => void fireEvent.click(row));
    expect(screen.getByText(`${S.groupbuy.openGroup} ¥49`)).toBeTruthy();
  });

  it('shows no coupon row and the plain group price without a usable coupon', async () => {
    api.myCoupons.mockResolvedValue({ coupons: [coupon('nofit', { discount: null })] });
    render(<ProductPage />);
    await screen.findByText(`${S.groupbuy.openGroup} ¥59`);
    await waitFor(() => expect(api.myCoupons).toHaveBeenCalled());
    expect(screen.queryByText(RP.coupon.checkoutTitle)).toBeNull();
  });
});

describe('my coupons', () => {
  it('says what each is worth, when it runs out or that it is spent, and leads a usable one to the group buy', async () => {
    const list: Coupon[] = [coupon('cp1'), coupon('cp2', { status: 'redeemed', amountOff: 500, minSpend: 0 })];
    render(<MyCoupons campaignId='c' coupons={list} />);
    expect(screen.getByText(RP.coupon.terms('50'))).toBeTruthy();
    expect(screen.getByText(RP.coupon.terms(null))).toBeTruthy();
    expect(screen.getByText(RP.coupon.status.redeemed)).toBeTruthy();
    const use = screen.getAllByText(RP.coupon.use);
    expect(use).toHaveLength(1);
    await act(async () => void fireEvent.click(use[0]!));
    expect(navigations.at(-1)).toContain('subpackages/groupbuy/products/index');
  });
});

describe('the open-packet moment of a coupon rung', () => {
  it('says a 拼团券 went to my coupons, not cash to the wallet', () => {
    vi.useFakeTimers();
    try {
      render(<OpenPacket packet={{ tier: 2, energy: 300, amount: 1000, coupon: true }} onClose={() => undefined} />);
      expect(screen.getByText(RP.coupon.openTierLine(2, 300))).toBeTruthy();
      fireEvent.click(screen.getByText(RP.open.tap));
      act(() => void vi.advanceTimersByTime(1000));
      expect(screen.getByText(RP.coupon.openTitle)).toBeTruthy();
      // Off a price the way shops print it: 10, not the red packet's 10.00.
      expect(screen.getByText('10')).toBeTruthy();
      expect(screen.getByText(RP.coupon.openDelivery)).toBeTruthy();
      expect(screen.queryByText(RP.open.delivery)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
