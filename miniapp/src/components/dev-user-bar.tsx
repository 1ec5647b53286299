import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { isH5 } from '../platform';
import { currentDevUser, switchDevUser } from '../services/session';
import { S } from '../strings';

/** H5 preview only: shows which dev user this tab acts as and switches to another. */
export function DevUserBar() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  if (!isH5()) return null;
  return (
    <View className='dev-bar'>
      <Text className='dev-bar__who' onClick={() => setOpen(!open)}>
        {S.dev.actingAs}: {currentDevUser()} ▾
      </Text>
      {open ? (
        <View className='dev-bar__form'>
          <Input
            className='input dev-bar__input'
            placeholder={S.dev.namePlaceholder}
            value={name}
            onInput={(e) => setName(e.detail.value)}
          />
          <Button className='btn btn--small btn--primary' onClick={() => switchDevUser(name)}>
            {S.dev.switch}
          </Button>
        </View>
      ) : null}
    </View>
  );
}
