export default definePageConfig({
  navigationBarTitleText: '能量明细',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});
