import { pagePath, SHARE_PAGE, sharePagePath } from '@jizan/shared/constants';

/**
 * Subpackages, by root. The main package holds what a friend opening a card needs before the first
 * screen (home, the share landing, a team, the boards, the ledger); group buy and red packets are
 * fetched on their first visit, so they do not count against the main package's budget.
 */
export const SUBPACKAGES = {
  groupBuy: 'subpackages/groupbuy',
  redPackets: 'subpackages/redpackets',
  /** The user's own corner: the inbox, the share poster (a canvas page nobody needs before the first screen). */
  me: 'subpackages/me',
} as const;

const GB = SUBPACKAGES.groupBuy;
const RP = SUBPACKAGES.redPackets;
const ME = SUBPACKAGES.me;

/** Every page of the app; the first opens on launch. A page under a subpackage root is registered in that subpackage. */
export const PAGES = {
  home: 'pages/home/index',
  share: SHARE_PAGE,
  team: 'pages/team/index',
  leaderboard: 'pages/leaderboard/index',
  energy: 'pages/energy/index',
  products: `${GB}/products/index`,
  product: `${GB}/product/index`,
  group: `${GB}/group/index`,
  orders: `${GB}/orders/index`,
  rules: `${RP}/rules/index`,
  redPackets: `${RP}/mine/index`,
  inbox: `${ME}/inbox/index`,
  poster: `${ME}/poster/index`,
} as const;

/**
 * The subpackages each page leads to, fetched while the page is open so the tap that opens
 * them does not wait for a download. A card's friend lands on the share page, which may be a
 * group buy's; home links to the group buy, the ladder's red packets and the rules.
 */
const PRELOAD: Partial<Record<(typeof PAGES)[keyof typeof PAGES], string[]>> = {
  [PAGES.home]: [SUBPACKAGES.groupBuy, SUBPACKAGES.redPackets],
  [PAGES.share]: [SUBPACKAGES.groupBuy],
};

/** The page lists app.config.ts registers: main pages, subpackages with paths relative to their root, preloads. */
export function appPages() {
  const all: string[] = Object.values(PAGES);
  const roots: string[] = Object.values(SUBPACKAGES);
  const under = (root: string) => (p: string) => p.startsWith(`${root}/`);
  return {
    pages: all.filter((p) => !roots.some((root) => under(root)(p))),
    subPackages: roots.map((root) => ({ root, pages: all.filter(under(root)).map((p) => p.slice(root.length + 1)) })),
    // `all`: these subpackages are a few KB each, and the friend who opens a group-buy card taps on at once.
    preloadRule: Object.fromEntries(Object.entries(PRELOAD).map(([page, packages]) => [page, { network: 'all' as const, packages }])),
  };
}

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
  inbox: () => pagePath(PAGES.inbox),
  poster: (campaignId: string) => pagePath(PAGES.poster, { campaignId }),
};
