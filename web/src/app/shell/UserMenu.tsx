import { DownOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, type MenuProps } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useBeginSession, useLogout } from '../../features/auth/api';
import { ChangePasswordDialog } from '../../features/auth/ChangePasswordDialog';
import { useErrorText } from '../../ui/errors';
import { isApiError } from '../api';
import { useT } from '../locale';
import { useSession } from '../session';

function useSignOut(): { signOut: () => void; isSigningOut: boolean } {
  const logout = useLogout();
  const beginSession = useBeginSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const leave = () => {
    beginSession(null);
    void navigate('/login', { replace: true, flushSync: true });
  };
  const signOut = () =>
    logout.mutate(undefined, {
      onSuccess: leave,
      // An already-ended session is as good as signed out; any other failure leaves the cookie in place.
      onError: (error) =>
        isApiError(error) && error.status === 401 ? leave() : void message.error(errorText(error)),
    });
  return { signOut, isSigningOut: logout.isPending };
}

export function UserMenu() {
  const t = useT();
  const { user } = useSession();
  const [isPasswordOpen, setPasswordOpen] = useState(false);
  const { signOut, isSigningOut } = useSignOut();

  const items: MenuProps['items'] = [
    {
      key: 'password',
      icon: <LockOutlined />,
      label: <span data-testid="change-password">{t('header.changePassword')}</span>,
    },
    { type: 'divider' },
    {
      key: 'logout',
      icon: <LogoutOutlined />,
      label: <span data-testid="logout">{t('header.logout')}</span>,
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') setPasswordOpen(true);
    if (key === 'logout') signOut();
  };

  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']}>
        <Button
          type="text"
          icon={<UserOutlined />}
          loading={isSigningOut}
          data-testid="user-menu"
          aria-label={t('header.userMenu')}
        >
          {user.name} <DownOutlined />
        </Button>
      </Dropdown>
      <ChangePasswordDialog open={isPasswordOpen} onClose={() => setPasswordOpen(false)} />
    </>
  );
}
