export default definePageConfig({
  navigationBarTitleText: '拼团购',
  enablePullDownRefresh: true,
});
