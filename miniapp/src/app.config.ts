import { appPages } from './page-paths';

export default defineAppConfig({
  ...appPages(),
  window: {
    navigationBarTitleText: '集赞',
    navigationBarBackgroundColor: '#ff5a3c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#fff6f2',
    backgroundTextStyle: 'dark',
  },
});
