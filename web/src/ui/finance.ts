import { useSession } from '../app/session';

/**
 * Finance (and admins, who may do anything finance may) confirm receipts, allocate, decide 开票申请 and
 * claims. The server enforces it; the UI only hides buttons that would be refused.
 */
export function useIsFinance(): boolean {
  const { user } = useSession();
  return user.role === 'finance' || user.role === 'admin';
}
