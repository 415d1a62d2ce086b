import type { CredentialsFile } from './credentials-file.js';
import { tokenDigest } from './credentials-file.js';
import type { Scope } from './scopes.js';

/** Who a valid token belongs to, and what it may do. */
export interface Principal {
  readonly name: string;
  readonly scopes: readonly Scope[];
}

/**
 * Tells whose a bearer token is. Holds only the tokens' SHA-256 digests, so a dump of a
 * service's memory or a log of this object never shows a token.
 *
 * @example
 * ```ts
 * const verifier = TokenVerifier.fromFile(readCredentialsFile(path));
 * verifier.identify(token)?.name; // 'crm-order-to-erp'
 * ```
 */
export class TokenVerifier {
  private readonly byDigest: ReadonlyMap<string, Principal>;

  constructor(principals: Iterable<{ digest: string; principal: Principal }>) {
    this.byDigest = new Map(Array.from(principals, ({ digest, principal }) => [digest, principal]));
  }

  /** A verifier of every principal of a credentials file. */
  static fromFile(file: CredentialsFile): TokenVerifier {
    return new TokenVerifier(
      Object.entries(file.principals).map(([name, entry]) => ({
        digest: entry.tokenSha256 ?? tokenDigest(entry.token ?? ''),
        principal: Object.freeze({ name, scopes: Object.freeze([...entry.scopes]) }),
      })),
    );
  }

  /** The principal whose token this is, or undefined. */
  identify(token: string): Principal | undefined {
    return this.byDigest.get(tokenDigest(token));
  }

  /** Principal names only: a logged verifier shows no digest. */
  toJSON(): { principals: string[] } {
    return { principals: Array.from(this.byDigest.values(), (principal) => principal.name) };
  }
}
