export default definePageConfig({
  navigationBarTitleText: '好友助力',
  enableShareAppMessage: true,
  // Moments (朋友圈): the page opens there in single-page mode, read-only (see landing-state.ts).
  enableShareTimeline: true,
});
