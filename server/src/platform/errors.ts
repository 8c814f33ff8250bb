import { errorStatus, type ErrorCode, type ErrorParams } from '@huikuan/core';

/** The one error type routes and use cases throw; the error handler turns it into a localized response. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    readonly issues?: { path: string; message: string }[],
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus(this.code);
  }
}

export function notFound(entity: string): AppError {
  return new AppError('not_found', { entity });
}

export function forbidden(): AppError {
  return new AppError('forbidden');
}
