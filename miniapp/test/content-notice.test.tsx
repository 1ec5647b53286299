import type { Me } from '@jizan/shared';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { S } from '../src/strings';

vi.mock('../src/services/client', () => ({ api: {}, http: {} }));
const { ContentNotice } = await import('../src/components/content-notice');

afterEach(cleanup);

const me = (over: Partial<Me> = {}): Me => ({
  id: 'u',
  nickname: '集赞好友1234',
  avatarUrl: null,
  profileCompleted: true,
  pendingNickname: null,
  avatarPending: false,
  avatarHidden: false,
  createdAt: '2030-01-01T00:00:00Z',
  ...over,
});

describe('what the content check holds, told to its owner', () => {
  it('says nothing when nothing is held', () => {
    const { container } = render(<ContentNotice me={me()} team={{ name: '冲鸭队', namePending: false }} />);
    expect(container.textContent).toBe('');
  });

  it('names the held nickname and says strangers do not see it yet', () => {
    render(<ContentNotice me={me({ pendingNickname: '小红花' })} />);
    expect(screen.getByText(S.content.nicknamePending('小红花'))).toBeTruthy();
  });

  it("tells the captain the team's name is held and what others see meanwhile", () => {
    render(<ContentNotice me={me()} team={{ name: '队伍 3F2A', namePending: true }} />);
    expect(screen.getByText(S.content.teamNamePending('队伍 3F2A'))).toBeTruthy();
  });

  it('says a hidden avatar was taken down and offers to pick another', () => {
    render(<ContentNotice me={me({ avatarHidden: true })} />);
    expect(screen.getByText(S.content.avatarHidden)).toBeTruthy();
    fireEvent.click(screen.getByText(S.content.changeAvatar));
    expect(screen.getByText(S.profile.title)).toBeTruthy();
  });
});
