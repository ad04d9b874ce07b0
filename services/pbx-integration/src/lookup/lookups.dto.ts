import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { atLeastOneField, strictObject } from '@okc/runtime';
import { z } from 'zod';
import { MAX_PATH_LENGTH, parseJsonPath } from './json-path';
import { LOOKUP_TYPES, type LookupConnector } from './lookup-connector.entity';
import { fillUrlTemplate, NUMBER_PLACEHOLDER } from './lookup-template';
import { SCREEN_POP_KEY_MAX, type ScreenPop } from './screen-pop';
import { selectQueryProblem } from './sql-query';

export const MAX_CONNECTORS_PER_TENANT = 20;
const MAX_MAPPED_FIELDS = 50;
const MAX_HEADERS = 16;
/** A caller number as the PBX gives it: digits, `*` or `#`, optionally after a `+`. */
export const CALLER_NUMBER = /^\+?[0-9*#]{1,32}$/;

const HOST =
  /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
/** RFC 9110 token characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;
/** Visible Latin-1 and tabs: what fetch accepts in a header value (and no line breaks). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers fetch manages itself, or that would change how the request travels. */
const MANAGED_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-connection',
]);

// ---------------------------------------------------------------------------------------------------------
// Fields both types share

const common = {
  name: z.string().trim().min(1).max(128).describe('Shown to admins: "CRM customers".'),
  enabled: z.boolean().default(true).describe('A disabled connector is kept but not used for calls.'),
  priority: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(100)
    .describe('Lower runs first; when two connectors find the same key, the lower one wins.'),
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(10_000)
    .default(1000)
    .describe('How long one lookup may take (100–10000 ms); the whole screen pop has LOOKUP_DEADLINE_MS.'),
  cacheTtlS: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .default(300)
    .describe(
      'Seconds a found answer is reused for the same number (0: never); "not found" is kept shorter.',
    ),
};

/** Screen-pop key → source, with each bad entry named (`fieldMapping.<key>`). */
function fieldMappingSchema(source: z.ZodString, sourceProblem: (value: string) => string | null) {
  return z
    .record(z.string(), z.string())
    .superRefine((mapping, ctx) => {
      const entries = Object.entries(mapping);
      if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'map at least one field' });
      if (entries.length > MAX_MAPPED_FIELDS) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_MAPPED_FIELDS} fields` });
      }
      for (const [key, value] of entries) {
        if (
          key.trim() === '' ||
          key.trim() !== key ||
          key.length > SCREEN_POP_KEY_MAX ||
          key === '__proto__'
        ) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `a screen-pop key is 1–${SCREEN_POP_KEY_MAX} characters without surrounding spaces`,
          });
          continue;
        }
        const parsed = source.safeParse(value);
        const problem = parsed.success ? sourceProblem(parsed.data) : parsed.error.issues[0]!.message;
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
      }
    })
    .describe('Screen-pop key → where its value is found.');
}

// ---------------------------------------------------------------------------------------------------------
// http-json

const urlTemplateSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .superRefine((template, ctx) => {
    let url: URL;
    try {
      url = new URL(fillUrlTemplate(template, '0'));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'an http(s) URL, with {number} where the number goes' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'an http:// or https:// URL' });
    }
    if (url.username || url.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'no credentials in the URL (it is shown to supervisors): put them in a header',
      });
    }
  })
  .describe(
    'The URL to call, `{number}` marking the caller’s number (URL-encoded): https://crm/api?phone={number}',
  );

const headersSchema = z
  .record(z.string(), z.string())
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS)
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      const problem = !HEADER_NAME.test(name)
        ? "a header name is letters, digits and -_.!#$%&'*+^`|~"
        : MANAGED_HEADERS.has(lower)
          ? `${name} is set by the HTTP client`
          : seen.has(lower)
            ? 'given twice (header names ignore case)'
            : value.length > 2048
              ? 'at most 2048 characters'
              : !HEADER_VALUE.test(value)
                ? 'printable Latin-1 only, no line breaks'
                : null;
      seen.add(lower);
      if (problem) ctx.addIssue({ code: 'custom', path: [name], message: problem });
    }
  })
  .default({})
  .describe(
    'Sent with each request (e.g. Authorization). Write-only: stored encrypted; only names are shown.',
  );

const httpJsonFields = {
  type: z.literal('http-json'),
  ...common,
  urlTemplate: urlTemplateSchema,
  method: z.enum(['GET', 'POST']).default('GET'),
  bodyTemplate: z
    .string()
    .min(1)
    .max(8192)
    .nullable()
    .default(null)
    .describe('POST only. `{number}` is escaped for the content type (JSON: write "{number}" in quotes).'),
  headers: headersSchema,
  fieldMapping: fieldMappingSchema(z.string().max(MAX_PATH_LENGTH), (path) => {
    const parsed = parseJsonPath(path);
    return parsed.ok ? null : parsed.problem;
  }).describe('Screen-pop key → path in the JSON answer: `data.customer.name`, `items.0.id`.'),
};

const httpJsonSchema = strictObject(httpJsonFields).superRefine((c, ctx) => {
  if (c.method === 'GET' && c.bodyTemplate !== null) {
    ctx.addIssue({
      code: 'custom',
      path: ['bodyTemplate'],
      message: 'a GET sends no body: use POST, or leave bodyTemplate out',
    });
  }
  if (!c.urlTemplate.includes(NUMBER_PLACEHOLDER) && !(c.bodyTemplate ?? '').includes(NUMBER_PLACEHOLDER)) {
    ctx.addIssue({
      code: 'custom',
      path: ['urlTemplate'],
      message: `put ${NUMBER_PLACEHOLDER} in urlTemplate or bodyTemplate: where the caller's number goes`,
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// mysql

const mysqlFields = {
  type: z.literal('mysql'),
  ...common,
  host: z.string().trim().max(253).regex(HOST, 'a host name or an IP address').describe('Database host.'),
  port: z.number().int().min(1).max(65535).default(3306),
  user: z.string().trim().min(1).max(128).describe('Best a user granted SELECT only.'),
  password: z
    .string()
    .max(256)
    .default('')
    .describe('Write-only: stored encrypted, never returned (`hasPassword` tells).'),
  database: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\s/\\.]+$/, 'a database name (no spaces, dots or slashes)'),
  query: z
    .string()
    .trim()
    .min(1)
    .max(4000)
    .superRefine((sql, ctx) => {
      const problem = selectQueryProblem(sql);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('One SELECT with ? for the number; run read-only; the first row is used.'),
  fieldMapping: fieldMappingSchema(z.string().trim().min(1).max(64), () => null).describe(
    'Screen-pop key → column of the first result row.',
  ),
};

const mysqlSchema = strictObject(mysqlFields);

// ---------------------------------------------------------------------------------------------------------
// Requests

export const createLookupConnectorSchema = z.discriminatedUnion('type', [httpJsonSchema, mysqlSchema]);
export type CreateLookupConnectorInput = z.infer<typeof createLookupConnectorSchema>;
export type HttpJsonConnectorConfig = Extract<CreateLookupConnectorInput, { type: 'http-json' }>;
export type MysqlConnectorConfig = Extract<CreateLookupConnectorInput, { type: 'mysql' }>;

/**
 * A PATCH body: any fields of the connector's type (the type itself cannot change). The merged result is
 * validated as a whole by the service (so `bodyTemplate` with GET is refused however it comes about); this
 * schema only requires a non-empty object.
 */
export const updateLookupConnectorSchema = z
  .record(z.string(), z.unknown())
  .refine(atLeastOneField, 'nothing to change: name at least one field');
export type UpdateLookupConnectorInput = z.infer<typeof updateLookupConnectorSchema>;

/** What the PATCH body may hold (OpenAPI only). */
export const updateLookupConnectorDocSchema = z.union([
  strictObject(httpJsonFields).partial(),
  strictObject(mysqlFields).partial(),
]);

export const lookupIdParamsSchema = strictObject({ id: z.guid('a lookup connector id is a UUID') });

export const testLookupSchema = strictObject({
  number: z
    .string()
    .trim()
    .regex(CALLER_NUMBER, 'a caller number: digits, * or #, optionally after a + (at most 32)')
    .describe('The number to look up, as the PBX would give it: +74951234567.'),
});
export type TestLookupInput = z.infer<typeof testLookupSchema>;

// ---------------------------------------------------------------------------------------------------------
// Answers

export class LookupConnectorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'CRM customers' })
  name!: string;

  @ApiProperty({ enum: LOOKUP_TYPES })
  type!: string;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ example: 100 })
  priority!: number;

  @ApiProperty({ example: 1000 })
  timeoutMs!: number;

  @ApiProperty({ example: 300 })
  cacheTtlS!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { name: 'data.name' } })
  fieldMapping!: Record<string, string>;

  @ApiPropertyOptional({ description: 'http-json', example: 'https://crm.example.com/api?phone={number}' })
  urlTemplate?: string;

  @ApiPropertyOptional({ description: 'http-json', enum: ['GET', 'POST'] })
  method?: 'GET' | 'POST';

  @ApiPropertyOptional({ description: 'http-json', type: String, nullable: true })
  bodyTemplate?: string | null;

  @ApiPropertyOptional({
    description: 'http-json: the names of the stored headers (values are never returned)',
    type: [String],
    example: ['Authorization'],
  })
  headerNames?: string[];

  @ApiPropertyOptional({ description: 'mysql', example: 'db.clinic.local' })
  host?: string;

  @ApiPropertyOptional({ description: 'mysql', example: 3306 })
  port?: number;

  @ApiPropertyOptional({ description: 'mysql', example: 'okc_lookup' })
  user?: string;

  @ApiPropertyOptional({ description: 'mysql: whether a password is stored (it is never returned)' })
  hasPassword?: boolean;

  @ApiPropertyOptional({ description: 'mysql', example: 'crm' })
  database?: string;

  @ApiPropertyOptional({ description: 'mysql', example: 'SELECT name FROM customers WHERE phone = ?' })
  query?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class LookupConnectorListDto {
  @ApiProperty({ type: [LookupConnectorDto] })
  items!: LookupConnectorDto[];
}

export const LOOKUP_OUTCOMES = ['hit', 'miss', 'timeout', 'error'] as const;
export type LookupOutcome = (typeof LOOKUP_OUTCOMES)[number];

export class LookupTestResultDto {
  @ApiProperty({ enum: LOOKUP_OUTCOMES, description: 'hit: found; miss: not found; timeout; error' })
  outcome!: LookupOutcome;

  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    example: { name: 'Ada Lovelace', vip: true },
  })
  screenPop!: ScreenPop | null;

  @ApiProperty({ type: [String], description: 'Mapped keys that found no value.' })
  missingKeys!: string[];

  @ApiProperty({ example: 42 })
  durationMs!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'no answer within 1000 ms: raise timeoutMs or check the server',
  })
  error!: string | null;
}

export function toLookupConnectorDto(connector: LookupConnector): LookupConnectorDto {
  const common = {
    id: connector.id,
    name: connector.name,
    type: connector.type,
    enabled: connector.enabled,
    priority: connector.priority,
    timeoutMs: connector.timeoutMs,
    cacheTtlS: connector.cacheTtlS,
    fieldMapping: { ...connector.fieldMapping },
    createdAt: connector.createdAt.toISOString(),
    updatedAt: connector.updatedAt.toISOString(),
  };
  const settings = connector.settings;
  switch (settings.type) {
    case 'http-json':
      return {
        ...common,
        urlTemplate: settings.urlTemplate,
        method: settings.method,
        bodyTemplate: settings.bodyTemplate,
        headerNames: [...settings.headerNames],
      };
    case 'mysql':
      return {
        ...common,
        host: settings.host,
        port: settings.port,
        user: settings.user,
        hasPassword: settings.hasPassword,
        database: settings.database,
        query: settings.query,
      };
  }
}
