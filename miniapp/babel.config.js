// Taro's preset compiles TSX for both targets; polyfills stay off because both platforms run ES2017+.
module.exports = {
  presets: [
    ['taro', { framework: 'react', ts: true, compiler: 'webpack5', useBuiltIns: false, hot: false }],
  ],
};
