package dev.tern.matrix.http;

import java.util.Map;
import java.util.Optional;

/**
 * Where {@code /.well-known/matrix/client} documents come from: the default domain's, configured or (in sidecar
 * mode) fetched upstream, and each further domain's own, selected by {@code Host}.
 *
 * @param configured the default domain's document ({@code well_known})
 * @param upstream the default domain's upstream document, in sidecar mode
 * @param domains the further domains, selected by {@code Host}
 */
record WellKnownDocuments(Map<String, Object> configured, Optional<UpstreamWellKnown> upstream,
        HostedDomains domains) {
}
