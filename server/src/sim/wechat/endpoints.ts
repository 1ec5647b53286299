import { contentSecurityEndpoints } from './content-security.js';
import type { SimEndpoint } from './endpoint.js';
import { riskControlEndpoints } from './risk-control.js';
import { subscribeEndpoints } from './subscribe.js';
import { tokenEndpoints } from './token.js';

/**
 * Every endpoint the simulated platform serves, by integration. A new integration writes its
 * endpoints in a file of its own and adds one line here.
 */
export const SIM_ENDPOINTS: readonly SimEndpoint[] = [
  ...tokenEndpoints,
  ...subscribeEndpoints,
  ...contentSecurityEndpoints,
  ...riskControlEndpoints,
];
