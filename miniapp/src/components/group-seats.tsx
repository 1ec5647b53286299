import type { Group } from '@jizan/shared';
import { Button, Text, View } from '@tarojs/components';
import { seatsOf } from '../logic/groupbuy';
import { S } from '../strings';
import { Avatar } from './avatar';

/**
 * The group's seats as avatars, empty ones drawn as "+" slots. Tapping an empty slot invites
 * (the page passes its share action); without one the slot is only drawn.
 */
export function GroupSeats({
  group,
  onInvite,
  nativeShare = false,
}: {
  group: Pick<Group, 'members' | 'groupSize'>;
  onInvite?: () => void;
  /** In the chat app only a share button can open the share sheet, so empty slots become one. */
  nativeShare?: boolean;
}) {
  return (
    <View className='seats'>
      {seatsOf(group).map((seat, i) =>
        seat.kind === 'member' ? (
          <View className='seats__seat' key={seat.member.id ?? `virtual-${i}`}>
            <Avatar url={seat.member.avatarUrl} name={seat.member.nickname} size='lg' />
            {seat.member.isOpener ? <Text className='seats__badge'>{S.groupbuy.opener}</Text> : null}
            <Text className='seats__name'>{seat.member.virtual ? S.groupbuy.virtualMember : seat.member.nickname}</Text>
          </View>
        ) : nativeShare ? (
          <Button className='seats__seat seats__share' key={`empty-${i}`} openType='share' data-kind='groupbuy'>
            <View className='seats__empty seats__empty--invite'>
              <Text>+</Text>
            </View>
            <Text className='seats__name'>{S.groupbuy.inviteSeat}</Text>
          </Button>
        ) : (
          <View className='seats__seat' key={`empty-${i}`} onClick={onInvite}>
            <View className={`seats__empty${onInvite ? ' seats__empty--invite' : ''}`}>
              <Text>+</Text>
            </View>
            <Text className='seats__name'>{onInvite ? S.groupbuy.inviteSeat : ''}</Text>
          </View>
        ),
      )}
    </View>
  );
}
