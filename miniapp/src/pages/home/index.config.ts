export default definePageConfig({
  navigationBarTitleText: '集赞活动',
  enablePullDownRefresh: true,
  enableShareAppMessage: true,
});
