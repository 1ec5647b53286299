/// <reference types="@tarojs/taro" />

declare module '*.scss';
declare module '*.png';

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5' | undefined;
    /** Set by config/index.ts at build time: '' means same origin (H5 served by the API server). */
    TARO_APP_API_BASE: string | undefined;
  }
}
