import type {
  CampaignDetail,
  CampaignRedPackets,
  ClaimRedPacketResponse,
  CampaignListResponse,
  CreateShareBody,
  CreateTeamBody,
  Group,
  MyOrdersResponse,
  Order,
  PaySheet,
  SimulatedPayResult,
  ProductDetail,
  ProductListResponse,
  LeaderboardBy,
  LeaderboardResponse,
  LedgerResponse,
  LikeResponse,
  LoginResponse,
  Me,
  MyNotificationsResponse,
  MySubscriptionsResponse,
  ReadNotificationsBody,
  ReadNotificationsResponse,
  SubscribeResult,
  MyLikesResponse,
  MyRedPacketsResponse,
  MyCouponsResponse,
  SimulatedConfirmBody,
  TransferConfirmation,
  ShareChannel,
  ShareLanding,
  ShareResponse,
  ShareSceneResponse,
  Team,
  UpdateMeBody,
} from '@jizan/shared';
import type { HttpClient } from './http';

/** The API as the pages see it: one typed function per endpoint, contract types from `@jizan/shared`. */
export function createApi(http: HttpClient) {
  const seg = encodeURIComponent;
  return {
    login: (): Promise<LoginResponse> => http.login(),
    logout: () => http.logout(),
    me: () => http.request<Me>('GET', '/v1/me'),
    updateMe: (body: UpdateMeBody) => http.request<Me>('PATCH', '/v1/me', { body }),
    /** A picture from the platform's chooser (a local path nobody else can load) becomes the profile's server-owned avatar. */
    uploadAvatar: (filePath: string) => http.request<Me>('POST', '/v1/me/avatar', { file: { path: filePath, field: 'file' } }),
    campaigns: () => http.request<CampaignListResponse>('GET', '/v1/campaigns'),
    campaign: (id: string) => http.request<CampaignDetail>('GET', `/v1/campaigns/${seg(id)}`),
    createTeam: (campaignId: string, body: CreateTeamBody) =>
      http.request<Team>('POST', `/v1/campaigns/${seg(campaignId)}/teams`, { body }),
    team: (id: string) => http.request<Team>('GET', `/v1/teams/${seg(id)}`),
    createShare: (body: CreateShareBody) => http.request<ShareResponse>('POST', '/v1/shares', { body }),
    /** `anonymous` is for the platform's single-page mode, where no login is possible; `channel` is how the card reached the viewer. */
    shareLanding: (token: string, anonymous = false, channel: ShareChannel = 'card') =>
      http.request<ShareLanding>('GET', `/v1/shares/${seg(token)}`, {
        auth: anonymous ? 'none' : 'required',
        ...(channel === 'card' ? {} : { query: { channel } }),
      }),
    /** The card a scanned poster code's scene stands for. */
    shareScene: (scene: string) => http.request<ShareSceneResponse>('GET', `/v1/share-scenes/${seg(scene)}`, { auth: 'none' }),
    /** Where the card's poster code (a PNG) is fetched from; a path on the server. */
    posterCodePath: (token: string) => `/v1/shares/${seg(token)}/poster-code`,
    like: (token: string) =>
      http.request<LikeResponse>('POST', `/v1/shares/${seg(token)}/like`, { body: {}, idempotent: true }),
    join: (token: string) =>
      http.request<Team>('POST', `/v1/shares/${seg(token)}/join`, { body: {}, idempotent: true }),
    /** The join of a `groupbuy` card: a seat in its group at the group price; answers the group. */
    joinGroupFromCard: (token: string) =>
      http.request<Group>('POST', `/v1/shares/${seg(token)}/join`, { body: {}, idempotent: true }),
    products: (campaignId: string) => http.request<ProductListResponse>('GET', '/v1/products', { query: { campaignId } }),
    product: (id: string) => http.request<ProductDetail>('GET', `/v1/products/${seg(id)}`),
    /** `couponId`: one of my coupons usable on the product, redeemed on this order. */
    openGroup: (productId: string, couponId?: string) =>
      http.request<Group>('POST', '/v1/groups', { body: { productId, ...(couponId ? { couponId } : {}) }, idempotent: true }),
    joinGroup: (groupId: string, couponId?: string) =>
      http.request<Group>('POST', `/v1/groups/${seg(groupId)}/join`, { body: couponId ? { couponId } : {}, idempotent: true }),
    /** My coupons of the campaign; with `productId` only those usable on it now, each with its discount on the group price. */
    myCoupons: (campaignId: string, productId?: string) =>
      http.request<MyCouponsResponse>('GET', '/v1/me/coupons', { query: { campaignId, productId } }),
    group: (id: string) => http.request<Group>('GET', `/v1/groups/${seg(id)}`),
    myOrders: (limit = 50) => http.request<MyOrdersResponse>('GET', '/v1/me/orders', { query: { limit } }),
    /** The pay sheet again for an unpaid order (the same prepay: it cannot be paid twice). */
    payOrder: (orderId: string) => http.request<Order>('POST', `/v1/orders/${seg(orderId)}/pay`, { body: {} }),
    /** Development: the simulated platform's pay sheet, where the H5 preview stands in for the chat app's. */
    paySimulated: (sheet: PaySheet) => http.request<SimulatedPayResult>('POST', '/v1/payments/simulator/pay', { body: sheet }),
    leaderboard: (campaignId: string, by: LeaderboardBy, limit = 50) =>
      http.request<LeaderboardResponse>('GET', `/v1/campaigns/${seg(campaignId)}/leaderboard`, {
        query: { by, limit },
      }),
    myLikes: (campaignId: string) => http.request<MyLikesResponse>('GET', '/v1/me/likes', { query: { campaignId } }),
    ledger: (campaignId: string, cursor?: string | null, limit = 20) =>
      http.request<LedgerResponse>('GET', '/v1/me/ledger', { query: { campaignId, cursor, limit } }),
    redPackets: (campaignId: string) => http.request<CampaignRedPackets>('GET', `/v1/campaigns/${seg(campaignId)}/redpackets`),
    claimRedPacket: (campaignId: string, tier: number) =>
      http.request<ClaimRedPacketResponse>('POST', '/v1/redpackets/claim', { body: { campaignId, tier }, idempotent: true }),
    myRedPackets: (campaignId: string, cursor?: string | null, limit = 20) =>
      http.request<MyRedPacketsResponse>('GET', '/v1/me/redpackets', { query: { campaignId, cursor, limit } }),
    confirmRedPacket: (redPacketId: string) => http.request<TransferConfirmation>('POST', `/v1/redpackets/${seg(redPacketId)}/confirm`),
    /** My inbox, newest first, and how many of all mine are unread. */
    myNotifications: (limit = 50) => http.request<MyNotificationsResponse>('GET', '/v1/me/notifications', { query: { limit } }),
    readNotifications: (body: ReadNotificationsBody) =>
      http.request<ReadNotificationsResponse>('POST', '/v1/me/notifications/read', { body }),
    /** The template ids each moment asks for, and my credits. */
    mySubscriptions: () => http.request<MySubscriptionsResponse>('GET', '/v1/me/subscriptions'),
    /** requestSubscribeMessage's answer as it came; keyed so a retried post counts once. */
    recordSubscriptions: (result: SubscribeResult) =>
      http.request<MySubscriptionsResponse>('POST', '/v1/me/subscriptions', { body: result, idempotent: true }),
    confirmTransferSimulated: (body: SimulatedConfirmBody) => http.request<{ errMsg: string }>('POST', '/v1/redpackets/simulator/confirm', { body }),
  };
}

export type Api = ReturnType<typeof createApi>;
