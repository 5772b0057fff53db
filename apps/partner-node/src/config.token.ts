/** Injection token of the PartnerNodeConfig: `@Inject(PARTNER_NODE_CONFIG) config: PartnerNodeConfig`. */
export const PARTNER_NODE_CONFIG = Symbol('PARTNER_NODE_CONFIG');
