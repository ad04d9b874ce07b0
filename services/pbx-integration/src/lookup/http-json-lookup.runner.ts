import { Injectable } from '@nestjs/common';
import type { Response } from 'undici';
import { OutboundHttp } from '../http/outbound-http';
import { parseJsonPath, readJsonPath } from './json-path';
import { causeMessage, errorCode, isErrorLike, LookupFailure } from './lookup.errors';
import { fillBodyTemplate, fillUrlTemplate, headerValue } from './lookup-template';
import type { HttpJsonConnectorConfig } from './lookups.dto';
import { type FieldsFound, mapFields } from './screen-pop';

/** An answer larger than this is refused: a lookup answer is one customer, not a database dump. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Runs one http-json lookup: calls the URL with the number filled in, reads the JSON answer and applies the
 * field mapping. A 404 or 204 is "not found"; every other failure is a LookupFailure saying what to check.
 * The whole exchange (connect, headers, body) is bounded by the connector's timeout.
 */
@Injectable()
export class HttpJsonLookupRunner {
  constructor(private readonly http: OutboundHttp) {}

  async run(config: HttpJsonConnectorConfig, number: string): Promise<FieldsFound> {
    const url = fillUrlTemplate(config.urlTemplate, number);
    const sendsBody = config.method === 'POST' && config.bodyTemplate !== null;
    const contentType = headerValue(config.headers, 'content-type') ?? 'application/json';
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'OKC-Lookup/1',
      ...(sendsBody ? { 'content-type': contentType } : {}),
      ...config.headers,
    };
    const signal = AbortSignal.timeout(config.timeoutMs);
    let json: unknown;
    try {
      const res = await this.http.fetch(url, {
        method: config.method,
        headers,
        ...(sendsBody ? { body: fillBodyTemplate(config.bodyTemplate!, number, contentType) } : {}),
        // A redirect could lead anywhere; the admin should configure the final URL.
        redirect: 'manual',
        signal,
      });
      if (res.status === 404 || res.status === 204) {
        await res.body?.cancel().catch(() => undefined);
        return { screenPop: null, missingKeys: Object.keys(config.fieldMapping) };
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        throw new LookupFailure('error', statusProblem(res));
      }
      const text = await readLimited(res);
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw new LookupFailure(
          'error',
          `the answer is not JSON (${res.headers.get('content-type') ?? 'no content type'}: ${causeMessage(err)})`,
        );
      }
    } catch (err) {
      throw asLookupFailure(err, config, url);
    }
    return mapFields(config.fieldMapping, (path) => {
      const parsed = parseJsonPath(path);
      return parsed.ok ? readJsonPath(json, parsed.path) : undefined;
    });
  }
}

function statusProblem(res: Response): string {
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    return `HTTP ${res.status}: the server redirects${location ? ` to ${location}` : ''}; use the final URL`;
  }
  if (res.status === 401 || res.status === 403) {
    return `HTTP ${res.status} from the server: check the credentials in the headers`;
  }
  return `HTTP ${res.status} from the server`;
}

async function readLimited(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_ANSWER_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new LookupFailure('error', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await res.body.cancel().catch(() => undefined);
      throw new LookupFailure('error', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A failure in words an admin can act on (never the header values: they may be credentials). */
function asLookupFailure(err: unknown, config: HttpJsonConnectorConfig, url: string): LookupFailure {
  if (err instanceof LookupFailure) return err;
  if (isErrorLike(err) && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new LookupFailure(
      'timeout',
      `no answer within ${config.timeoutMs} ms: raise timeoutMs or check that the server is fast enough`,
    );
  }
  const { host } = new URL(url);
  switch (errorCode(err) ?? '') {
    case 'ECONNREFUSED':
      return new LookupFailure(
        'error',
        `connection refused by ${host}: is the server up and the port right?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LookupFailure('error', `host not found: ${new URL(url).hostname}`);
    case 'ECONNRESET':
      return new LookupFailure('error', `${host} closed the connection without answering`);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new LookupFailure('error', `${host} sent headers too large to read`);
    default:
      return new LookupFailure('error', `could not reach ${host}: ${causeMessage(err)}`);
  }
}
