/**
 * What the credential types share: STUN long-term key derivation, the validated {@code uris} list and the
 * verification counters. The types themselves are in {@code .rest} (TURN REST API, shared secrets) and
 * {@code .fixed} (static users).
 */
package dev.tern.credentials;
