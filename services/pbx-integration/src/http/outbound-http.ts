import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '@okc/runtime';
import { type Dispatcher, fetch, type RequestInit, type Response } from 'undici';
import type { PbxIntegrationConfig } from '../config';
import { assertOutboundUrl, guardedDispatcher, outboundPolicy, type OutboundPolicy } from './outbound-guard';

/**
 * The one way this service calls tenant-configured URLs (webhooks, caller lookups): `fetch` through a
 * dispatcher that refuses this platform's own addresses after DNS (outbound-guard.ts), IP literals checked
 * before the request. A refusal is an error whose innermost cause says which address and why.
 */
@Injectable()
export class OutboundHttp implements OnApplicationShutdown {
  readonly policy: OutboundPolicy;
  private readonly dispatcher: Dispatcher;

  constructor(@InjectConfig() config: PbxIntegrationConfig) {
    this.policy = outboundPolicy(
      config.OUTBOUND_ALLOW_LOOPBACK ?? config.NODE_ENV !== 'production',
      config.OUTBOUND_DENY_CIDRS,
    );
    this.dispatcher = guardedDispatcher(this.policy);
  }

  async fetch(url: string, init: Omit<RequestInit, 'dispatcher'>): Promise<Response> {
    assertOutboundUrl(url, this.policy);
    return await fetch(url, { ...init, dispatcher: this.dispatcher });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
