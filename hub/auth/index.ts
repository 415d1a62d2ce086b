/** Credentials of the systems' API callers: the credentials file, scopes, token checks and loaders. */
export { routeScope, scopeAllows, scopeProblem, isWriteMethod, WRITE_METHODS, type Scope } from './scopes.js';
export {
  readCredentialsFile, parseCredentialsFile, ensureCredentialsFile, writeCredentialsFile, newToken, tokenDigest, CredentialsFileError,
  type CredentialsFile, type PrincipalEntry, type PrincipalSpec,
} from './credentials-file.js';
export { TokenVerifier, type Principal } from './token-verifier.js';
export { loadServiceAuth, loadCallerCredentials, defaultCredentialsPath, CallerCredentials, type ServiceAuth } from './auth-config.js';
