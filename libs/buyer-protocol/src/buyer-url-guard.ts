import { Injectable } from '@nestjs/common';
import { promises as dns, LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode } from '@leadex/contracts';

/**
 * True only for a globally routable unicast address. Private, loopback, link-local, unique-local,
 * CGNAT, multicast, broadcast, unspecified, documentation/benchmark/reserved ranges, and IPv6 forms
 * that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) are not public: an exchange
 * must never be made to call its own network on a buyer's say-so.
 */
export function isPublicAddress(ip: string): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip);
  } catch {
    return false;
  }
  if (addr.kind() === 'ipv6') {
    const v6 = addr as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    // ::/96 — unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d, which ipaddr calls unicast.
    if (v6.parts.slice(0, 6).every((p) => p === 0)) return false;
  }
  return addr.range() === 'unicast';
}

/** A buyer URL the exchange will not call; `refused`, never retried. */
export class BuyerUrlRefusedError extends Error {
  readonly code = 'ERR_LEADEX_BUYER_URL_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'BuyerUrlRefusedError';
  }
}

/** Why an http(s) URL is unusable before any DNS, or null. */
function urlProblem(raw: string): { problem: string } | { url: URL } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'must be an absolute http(s) URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'must be an http or https URL' };
  if (url.username || url.password) return { problem: 'must not carry credentials; put them in the template headers' };
  if (!url.hostname) return { problem: 'must name a host' };
  return { url };
}

/** The hostname of a URL without IPv6 brackets. */
const bareHost = (url: URL) => (url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Buyer endpoint hygiene (SSRF). `check` validates a URL when a campaign is saved; the HTTP client
 * uses `connectLookup` at connect time, so a name that re-resolves to a private address later
 * (DNS rebinding) is refused too, and the socket connects to exactly the address that was checked.
 * With ALLOW_PRIVATE_BUYER_URLS (default outside production) only the URL's shape is checked.
 */
@Injectable()
export class BuyerUrlGuard {
  constructor(private readonly config: LeadexConfig) {}

  get allowsPrivateTargets(): boolean {
    return this.config.ALLOW_PRIVATE_BUYER_URLS;
  }

  /** Throws DomainException(validation_failed) with a field error when the exchange will not call `url`. */
  async check(url: string, field = 'url'): Promise<void> {
    try {
      const parsed = this.checkSyntax(url);
      if (!this.allowsPrivateTargets && isIP(bareHost(parsed)) === 0) await this.resolvePublic(bareHost(parsed));
    } catch (e) {
      if (e instanceof BuyerUrlRefusedError) {
        throw new DomainException(ErrorCode.ValidationFailed, `${field}: ${e.message}`, [{ field, message: e.message }]);
      }
      throw e;
    }
  }

  /**
   * The checks that need no DNS (scheme, credentials, an IP-literal host); throws BuyerUrlRefusedError.
   * Cheap enough for every request: names are checked again at connect time by connectLookup.
   */
  checkSyntax(raw: string): URL {
    const result = urlProblem(raw);
    if ('problem' in result) throw new BuyerUrlRefusedError(result.problem);
    const host = bareHost(result.url);
    if (!this.allowsPrivateTargets && isIP(host) !== 0 && !isPublicAddress(host)) {
      throw new BuyerUrlRefusedError(`${host} is a private, loopback or reserved address`);
    }
    return result.url;
  }

  /** Every address of `hostname`, all public, or BuyerUrlRefusedError naming the first private one. */
  async resolvePublic(hostname: string): Promise<LookupAddress[]> {
    let addresses: LookupAddress[];
    try {
      addresses = await this.lookupAll(hostname);
    } catch (e) {
      throw new BuyerUrlRefusedError(`${hostname} does not resolve (${(e as NodeJS.ErrnoException).code ?? e.message})`);
    }
    if (addresses.length === 0) throw new BuyerUrlRefusedError(`${hostname} does not resolve`);
    // One private answer refuses the name: a rebinding attacker would mix public and private records.
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw new BuyerUrlRefusedError(`${hostname} resolves to ${bad.address}, a private, loopback or reserved address`);
    return addresses;
  }

  /**
   * A `lookup` for net/tls.connect (undici `connect.lookup`): resolves, refuses private answers,
   * and hands the socket only checked addresses.
   */
  readonly connectLookup = (hostname: string, options: { all?: boolean } | number, callback: LookupCallback): void => {
    this.resolvePublic(hostname).then(
      (addresses) => {
        if (typeof options === 'object' && options?.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (e) => callback(e as NodeJS.ErrnoException, ''),
    );
  };

  /** The resolver; protected so a test can play a rebinding DNS server. */
  protected lookupAll(hostname: string): Promise<LookupAddress[]> {
    return dns.lookup(hostname, { all: true, verbatim: true });
  }
}
