import { campaign } from '../shared';

export const emailCampaign = campaign('emailCampaign', 'E-Mail Campaign', 'email', 'e-mail', 'an');
export const smsCampaign = campaign('smsCampaign', 'SMS Campaign', 'sms', 'SMS', 'an');
export const pushCampaign = campaign('pushCampaign', 'Push Campaign', 'push', 'push', 'a');
