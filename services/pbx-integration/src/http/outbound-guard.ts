import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

/**
 * Where tenant-configured HTTP (webhooks, caller lookups) may not go: this platform's own machines. Always
 * refused: link-local (169.254.0.0/16 holds cloud metadata endpoints; fe80::/10), unspecified and multicast
 * addresses; loopback unless allowed (outside production, for local receivers and the demo); and the CIDRs
 * of OUTBOUND_DENY_CIDRS (the platform's own networks). Private ranges stay allowed: a tenant's CRM on its
 * intranet, reached over a VPN, is the normal case.
 */
export interface OutboundPolicy {
  readonly allowLoopback: boolean;
  /** The OUTBOUND_DENY_CIDRS networks. */
  readonly deny: BlockList;
}

/** A policy from settings; `denyCidrs` as `10.20.0.0/16`, `fd00::/8`, `192.0.2.10` (checked by parseCidr). */
export function outboundPolicy(allowLoopback: boolean, denyCidrs: readonly string[]): OutboundPolicy {
  return { allowLoopback, deny: blockList(denyCidrs) };
}

/** Why the address may not be called, or null when it may. */
export function forbiddenAddress(address: string, policy: OutboundPolicy): string | null {
  const family = isIP(address);
  if (family === 0) return `not an IP address: ${address}`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const mapped = type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return forbiddenAddress(mapped, policy);
  if (!policy.allowLoopback && ALWAYS.loopback.check(address, type)) return 'a loopback address';
  if (ALWAYS.linkLocal.check(address, type)) return 'a link-local address (cloud metadata lives there)';
  if (ALWAYS.unspecified.check(address, type)) return 'an unspecified address';
  if (ALWAYS.multicast.check(address, type)) return 'a multicast address';
  if (policy.deny.check(address, type)) return 'in OUTBOUND_DENY_CIDRS (the platform’s own network)';
  return null;
}

/** An HTTP dispatcher that resolves names itself and refuses forbidden addresses at connect time (after DNS). */
export function guardedDispatcher(policy: OutboundPolicy): Dispatcher {
  return new Agent({
    connect: {
      lookup: (hostname, options, callback) => {
        dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
          if (err) return callback(err, '', 0);
          const allowed = addresses.filter((a) => forbiddenAddress(a.address, policy) === null);
          if (allowed.length === 0) {
            const reason = forbiddenAddress(addresses[0]?.address ?? '', policy) ?? 'no address';
            return callback(new OutboundRefused(`${hostname} resolves to ${reason}`), '', 0);
          }
          if ((options as { all?: boolean }).all) return callback(null, allowed, 0);
          return callback(null, allowed[0]!.address, allowed[0]!.family);
        });
      },
    },
  });
}

/**
 * Checks a URL's host before a request: an IP literal is never resolved (the dispatcher's lookup does not see
 * it), so it is judged here. Throws OutboundRefused.
 */
export function assertOutboundUrl(url: string | URL, policy: OutboundPolicy): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0) return;
  const reason = forbiddenAddress(host, policy);
  if (reason) throw new OutboundRefused(`${host} is ${reason}`);
}

export class OutboundRefused extends Error {
  override readonly name = 'OutboundRefused';
  readonly code = 'OUTBOUND_REFUSED';
}

/** Parses OUTBOUND_DENY_CIDRS entries; null when one is not a CIDR or an address. */
export function parseCidr(text: string): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText] = text.trim().split('/');
  const family = isIP(address);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, type: family === 4 ? 'ipv4' : 'ipv6' };
}

function blockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.type);
  }
  return list;
}

const ALWAYS = {
  loopback: blockList(['127.0.0.0/8', '::1/128']),
  linkLocal: blockList(['169.254.0.0/16', 'fe80::/10']),
  unspecified: blockList(['0.0.0.0/8', '::/128']),
  multicast: blockList(['224.0.0.0/4', 'ff00::/8']),
};
