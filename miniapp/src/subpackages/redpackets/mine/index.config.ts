export default definePageConfig({
  navigationBarTitleText: '我的红包',
  enablePullDownRefresh: true,
  onReachBottomDistance: 80,
});
