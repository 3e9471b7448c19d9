// The one error shape of API.md: `{ error, code, details? }`, thrown by handlers and rendered by
// the error middleware.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly { readonly path: string; readonly message: string }[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody() {
    return { error: this.message, code: this.code, ...(this.details ? { details: this.details } : {}) };
  }
}
