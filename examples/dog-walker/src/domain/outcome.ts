/** What an operation answers, whatever the framework: a status and a JSON body. */
export interface Outcome {
  readonly status: number;
  readonly body: unknown;
}

export const ok = (body: unknown, status = 200): Outcome => ({ status, body });

/** A refusal the client can act on; `message` is meant to be shown to a person. */
export const refusal = (status: number, message: string, reason?: string): Outcome => ({
  status,
  body: reason === undefined ? { error: message } : { error: message, reason },
});
