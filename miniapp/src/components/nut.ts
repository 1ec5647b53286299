/**
 * The NutUI components this app uses, each imported on its own with its own styles, so the
 * mini-program's main package carries only these (the library's index would pull in all of it).
 * Measured and chosen in miniapp/README.md ("Component library").
 */
import Avatar from '@nutui/nutui-react-taro/dist/es/packages/avatar/index';
import '@nutui/nutui-react-taro/dist/es/packages/avatar/style/css';
import AvatarGroup from '@nutui/nutui-react-taro/dist/es/packages/avatargroup/index';
import '@nutui/nutui-react-taro/dist/es/packages/avatargroup/style/css';
import CountDown from '@nutui/nutui-react-taro/dist/es/packages/countdown/index';
import '@nutui/nutui-react-taro/dist/es/packages/countdown/style/css';
import Skeleton from '@nutui/nutui-react-taro/dist/es/packages/skeleton/index';
import '@nutui/nutui-react-taro/dist/es/packages/skeleton/style/css';

export { Avatar as NutAvatar, AvatarGroup, CountDown, Skeleton };
