/**
 * The buyer protocol both apps share: the wire format (default JSON or a campaign's JSONata
 * template) and the SSRF guard on buyer URLs. The exchange speaks it; the portal validates
 * campaigns against exactly the same rules when they are saved.
 */
export * from './buyer-wire-format';
export * from './buyer-url-guard';
