import { Body, Controller, ForbiddenException, Get, HttpStatus, Post } from '@nestjs/common';
import { z } from 'zod';
import { startTestApp, type TestApp } from '../../test/test-app';
import { DomainError } from './domain.error';
import { parseBody, ZodValidationPipe } from './validation';

class AgentNotReadyError extends DomainError {
  constructor(agentId: string) {
    super('AGENT_NOT_READY', `Agent ${agentId} must be ready to take a call`, HttpStatus.CONFLICT, {
      details: { agentId },
    });
  }
}

const originateSchema = z.object({
  agent: z.object({ extension: z.string().regex(/^\d+$/) }),
  number: z.string().min(3),
});

@Controller('boom')
class BoomController {
  @Get('domain')
  domain(): never {
    throw new AgentNotReadyError('a-1');
  }

  @Get('http')
  http(): never {
    throw new ForbiddenException('Supervisors only');
  }

  @Get('unknown')
  unknown(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'password')");
  }

  @Post('parse')
  parse(@Body() body: unknown): { ok: boolean } {
    parseBody(originateSchema, body);
    return { ok: true };
  }

  @Post('pipe')
  pipe(@Body(new ZodValidationPipe(originateSchema)) body: z.infer<typeof originateSchema>): {
    number: string;
  } {
    return { number: body.number };
  }
}

describe('error responses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ controllers: [BoomController], env: { HTTP_BODY_LIMIT: '1kb' } });
  });
  afterAll(() => t.close());

  async function call(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: unknown; id: string }> {
    const res = await fetch(`${t.url}${path}`, init);
    return { status: res.status, body: await res.json(), id: res.headers.get('x-request-id')! };
  }
  const postJson = (body: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

  it('maps a DomainError to its status and code, with details', async () => {
    const { status, body, id } = await call('/boom/domain');
    expect(status).toBe(409);
    expect(body).toEqual({
      error: 'AGENT_NOT_READY',
      message: 'Agent a-1 must be ready to take a call',
      details: { agentId: 'a-1' },
      requestId: id,
    });
  });

  it('keeps the status of a Nest HttpException and derives the code from it', async () => {
    const { status, body, id } = await call('/boom/http');
    expect(status).toBe(403);
    expect(body).toEqual({ error: 'FORBIDDEN', message: 'Supervisors only', requestId: id });
  });

  it('answers an unknown error with a generic 500 and logs the stack', async () => {
    const { status, body, id } = await call('/boom/unknown', { headers: { 'x-request-id': 'boom-unknown' } });
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'INTERNAL', message: 'Internal error', requestId: id });
    const logged = t.logs.find(
      (line) => line['requestId'] === 'boom-unknown' && line.level === 50 && 'err' in line,
    );
    expect((logged?.['err'] as { stack?: string } | undefined)?.stack).toContain(
      'TypeError: Cannot read properties',
    );
  });

  it('answers an unknown route with a 404 JSON body', async () => {
    const { status, body, id } = await call('/no/such/route');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'NOT_FOUND', message: 'Cannot GET /no/such/route', requestId: id });
  });

  it('answers a malformed JSON body with 400 MALFORMED_BODY', async () => {
    const { status, body, id } = await call('/boom/parse', postJson('{"agent": '));
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'MALFORMED_BODY',
      message: 'Request body is not valid JSON',
      requestId: id,
    });
  });

  it('answers a body over HTTP_BODY_LIMIT with 413 PAYLOAD_TOO_LARGE', async () => {
    const { status, body } = await call(
      '/boom/parse',
      postJson(JSON.stringify({ filler: 'x'.repeat(2048) })),
    );
    expect(status).toBe(413);
    expect(body).toMatchObject({
      error: 'PAYLOAD_TOO_LARGE',
      message: 'Request body exceeds the limit of 1024 bytes',
    });
  });

  it.each(['/boom/parse', '/boom/pipe'])(
    '%s answers 400 VALIDATION_FAILED naming each bad field',
    async (path) => {
      const { status, body } = await call(path, postJson(JSON.stringify({ agent: { extension: '10a' } })));
      expect(status).toBe(400);
      expect(body).toMatchObject({
        error: 'VALIDATION_FAILED',
        message: 'Invalid request body: agent.extension, number',
        details: [
          { field: 'agent.extension', message: expect.any(String) as string },
          { field: 'number', message: expect.any(String) as string },
        ],
      });
    },
  );

  it('lets a valid body through the pipe, parsed', async () => {
    const { status, body } = await call(
      '/boom/pipe',
      postJson(JSON.stringify({ agent: { extension: '101' }, number: '+15551234' })),
    );
    expect(status).toBe(201);
    expect(body).toEqual({ number: '+15551234' });
  });
});
