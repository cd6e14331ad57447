/**
 * The {@code well-known} policy source: the MSC4096 {@code im.vector.riot.forceTurn} flag of a Matrix
 * {@code /.well-known/matrix/client} document, fetched with the host's HTTP client, cached as its
 * {@code Cache-Control} says and backed off after failures.
 */
package dev.tern.policy.wellknown;
