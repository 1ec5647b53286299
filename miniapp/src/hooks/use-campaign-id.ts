import { useRouter } from '@tarojs/taro';
import { useResource } from './use-resource';
import { pickCampaign } from '../logic/campaign';
import { api } from '../services/client';
import type { Failure } from '../services/error-message';

/** The page's campaign: from `?campaignId=` when opened from home, else the one home would pick. */
export function useCampaignId(): { id: string | null; error: Failure | null; reload: () => Promise<void> } {
  const fromRoute = useRouter().params.campaignId ?? null;
  const list = useResource(fromRoute ? null : () => api.campaigns(), fromRoute ? '' : 'campaigns');
  if (fromRoute) return { id: fromRoute, error: null, reload: async () => undefined };
  const picked = list.data ? pickCampaign(list.data.campaigns) : null;
  return { id: picked?.id ?? null, error: list.error, reload: list.reload };
}
