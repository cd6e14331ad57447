package dev.tern.matrix.http;

/**
 * The two rate limits of {@code /voip/turnServer}: one bucket per user once the token is known, and one per client
 * address (by {@link ClientAddress#limitKey}) for tokens the verifier does not know.
 *
 * @param perUser the {@code rate_limit} buckets, by user id
 * @param unknownTokensPerAddress the {@code unknown_token_limit} buckets, by {@link ClientAddress#limitKey}
 */
record RequestLimits(TokenBuckets perUser, TokenBuckets unknownTokensPerAddress) {
}
