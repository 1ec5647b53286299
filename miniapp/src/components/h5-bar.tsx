import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { isH5 } from '../platform';
import { currentDevUser, switchDevUser } from '../services/session';
import { S } from '../strings';
import { goHome } from './state-view';

/** Back when there is a page to go back to; a link opened directly goes home instead. */
function back() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else goHome();
}

/**
 * The browser preview's top bar. The chat app draws its own navigation bar with a back arrow;
 * a browser tab has none, so sub-pages get one here, beside the dev user this tab acts as.
 */
export function H5Bar({ back: showBack = false }: { back?: boolean }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  if (!isH5()) return null;
  return (
    <View className='h5-bar'>
      <View className='h5-bar__row'>
        {showBack ? (
          <View className='h5-bar__back' onClick={back}>
            <Text>{Taro.getCurrentPages().length > 1 ? S.common.back : `‹ ${S.common.home}`}</Text>
          </View>
        ) : (
          <View className='h5-bar__spacer' />
        )}
        <View className='h5-bar__who' onClick={() => setOpen(!open)}>
          <Text>
            {S.dev.actingAs}: {currentDevUser()} {open ? '▴' : '▾'}
          </Text>
        </View>
      </View>
      {open ? (
        <View className='h5-bar__form'>
          <Input
            className='input h5-bar__input'
            placeholder={S.dev.namePlaceholder}
            value={name}
            onInput={(e) => setName(e.detail.value)}
            onConfirm={() => switchDevUser(name)}
          />
          <Button className='btn btn--primary h5-bar__switch' onClick={() => switchDevUser(name)}>
            {S.dev.switch}
          </Button>
        </View>
      ) : null}
    </View>
  );
}
