export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/share/index',
    'pages/team/index',
    'pages/leaderboard/index',
    'pages/energy/index',
  ],
  window: {
    navigationBarTitleText: '集赞',
    navigationBarBackgroundColor: '#ff5a3c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#fff6f2',
    backgroundTextStyle: 'dark',
  },
});
