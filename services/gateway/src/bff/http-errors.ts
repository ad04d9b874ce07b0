import type { Request, Response } from 'express';

/** The JSON error body every OKC service answers with (libs/runtime's ErrorBody), from raw Express code. */
export function sendError(req: Request, res: Response, status: number, error: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const requestId = res.getHeader('x-request-id');
  res.status(status).json({
    error,
    message,
    ...(typeof requestId === 'string' ? { requestId } : {}),
  });
}
