import { pagePath, SHARE_PAGE, sharePagePath } from '@jizan/shared/constants';

/** Every page of the app; app.config.ts registers them in this order, so the first opens on launch. */
export const PAGES = {
  home: 'pages/home/index',
  share: SHARE_PAGE,
  team: 'pages/team/index',
  leaderboard: 'pages/leaderboard/index',
  energy: 'pages/energy/index',
  products: 'pages/products/index',
  product: 'pages/product/index',
  group: 'pages/group/index',
  orders: 'pages/orders/index',
  rules: 'pages/rules/index',
  redPackets: 'pages/redpackets/index',
} as const;

/** Where to navigate to reach each page, with the query that page reads. */
export const pageUrl = {
  home: () => pagePath(PAGES.home),
  share: sharePagePath,
  team: (id: string) => pagePath(PAGES.team, { id }),
  leaderboard: (campaignId: string) => pagePath(PAGES.leaderboard, { campaignId }),
  energy: (campaignId: string) => pagePath(PAGES.energy, { campaignId }),
  products: (campaignId: string) => pagePath(PAGES.products, { campaignId }),
  product: (id: string) => pagePath(PAGES.product, { id }),
  group: (id: string) => pagePath(PAGES.group, { id }),
  orders: () => pagePath(PAGES.orders),
  rules: (campaignId: string) => pagePath(PAGES.rules, { campaignId }),
  redPackets: (campaignId: string) => pagePath(PAGES.redPackets, { campaignId }),
};
