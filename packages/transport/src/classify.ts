import { type TlsCheck, TlsError, TransportConnectError, type TransportError } from './errors.js';

// OpenSSL verification codes as Node reports them on `error.code`, by the check that failed.
const TLS_CHECKS: Readonly<Record<string, TlsCheck>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
  CERT_UNTRUSTED: 'unknown-ca',
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  HOSTNAME_MISMATCH: 'hostname-mismatch',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
};

export function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A certificate verification failure, named by its check; undefined for other errors. */
export function tlsVerifyError(endpoint: string, error: unknown): TlsError | undefined {
  const code = codeOf(error);
  const check = code === undefined ? undefined : TLS_CHECKS[code];
  return check ? new TlsError(endpoint, check, { cause: error }) : undefined;
}

/** Whether a socket error comes from the TLS layer (OpenSSL `ERR_SSL_*`, Node `ERR_TLS_*`). */
export function isTlsLayerError(error: unknown): boolean {
  const code = codeOf(error) ?? '';
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_');
}

/** An error before `open` resolved: a TLS failure if the TLS layer says so, else a connect failure. */
export function classifyConnectFailure(
  endpoint: string,
  error: unknown,
  phase: 'tcp' | 'tls-handshake',
): TransportError {
  const verify = tlsVerifyError(endpoint, error);
  if (verify) return verify;
  if (phase === 'tls-handshake' || isTlsLayerError(error)) {
    return new TlsError(endpoint, 'handshake', { cause: error });
  }
  return new TransportConnectError(endpoint, { cause: error });
}
