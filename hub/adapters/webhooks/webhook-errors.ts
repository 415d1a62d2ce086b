import { errorSpec, SwitchboardError, type ErrorCodeWhere } from '../../errors/index.js';

/** The codes a webhook endpoint answers with. */
type WebhookAnswerCode = ErrorCodeWhere<{ readonly area: 'WEBHOOK'; readonly status: number }>;

/**
 * A webhook delivery the endpoint refuses: its status from the error catalogue (401 for a bad
 * signature or timestamp, 400 for a body that is not JSON, 422 for a payload that breaks the
 * source's rules, naming the field).
 *
 * @example
 * ```ts
 * throw new WebhookRefusedError(ERRORS.WEBHOOK_PAYLOAD_INVALID.code, 'payload.customer.email is required', 'payload.customer.email');
 * ```
 */
export class WebhookRefusedError extends SwitchboardError {
  readonly statusCode: number;

  constructor(code: WebhookAnswerCode, message: string, readonly field?: string) {
    super(code, message);
    this.statusCode = errorSpec(code).status as number;
  }
}
