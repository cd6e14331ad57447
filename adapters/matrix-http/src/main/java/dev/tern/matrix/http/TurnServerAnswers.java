package dev.tern.matrix.http;

/**
 * What shapes a {@code /voip/turnServer} answer once policy has spoken: the response form, what a server without
 * TURN answers, which domains force relay for their users, and the relays handed out.
 *
 * @param responses makes JSON and Matrix error responses with this module's headers
 * @param notConfigured the answer when no credentials can be issued
 * @param domains whose {@code force_relay} forces their users
 * @param relays the fleet's live relays, handed out instead of the configured URIs when known
 */
record TurnServerAnswers(MatrixResponses responses, NotConfiguredResponse notConfigured, HostedDomains domains,
        LiveRelayUris relays) {
}
