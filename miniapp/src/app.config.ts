import { PAGES } from './page-paths';

export default defineAppConfig({
  pages: Object.values(PAGES),
  window: {
    navigationBarTitleText: '集赞',
    navigationBarBackgroundColor: '#ff5a3c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#fff6f2',
    backgroundTextStyle: 'dark',
  },
});
