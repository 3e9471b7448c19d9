// The one error shape of API.md: `{ error, code, details? }`, thrown by handlers and rendered by
// the error middleware.

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): { error: string; code: string; details?: readonly ErrorDetail[] } {
    return { error: this.message, code: this.code, ...(this.details ? { details: this.details } : {}) };
  }
}
