/**
 * The two results of CheckCertificateForUrl in seed 003, word for word, so
 * that apps and scripts can match the same texts whether the check ran on a
 * phone, in `tlsdoctor pinning check` or in a pinned Node agent.
 */
export const PIN_MISMATCH_MESSAGE = 'SSLPinning found an issue with the configured certificate for the url!';
export const REQUEST_PROBLEM_MESSAGE = 'Message: SSLPinning found some problem with the request!';

/** No certificate of the server's chain matches a configured pin. */
export class PinMismatchError extends Error {
  override name = 'PinMismatchError';
  readonly code = 'ERR_SSL_PINNING_MISMATCH';
  constructor(
    readonly host: string,
    readonly port: number,
    /** Pins of the chain that authenticated the connection (for a resumed session: the session's chain). */
    readonly peerPins: string[],
    /** True when the refused connection resumed an earlier TLS session. */
    readonly sessionReused: boolean,
    /** Why, for a person: which pins were expected. */
    readonly detail: string,
  ) {
    super(PIN_MISMATCH_MESSAGE);
  }
}

/** Anything else that stopped the request: unreachable, TLS failure, untrusted chain, unpinned host. */
export class PinningRequestError extends Error {
  override name = 'PinningRequestError';
  readonly code = 'ERR_SSL_PINNING_REQUEST';
  constructor(readonly host: string, readonly port: number, readonly detail: string, options?: { cause?: unknown }) {
    super(REQUEST_PROBLEM_MESSAGE, options);
  }
}
