package dev.tern.relay.shared;

/** The HTTP version a connection on a shared port speaks, as ALPN or its first bytes said. */
public enum HttpProtocol {
    /** HTTP/1.1 (ALPN {@code http/1.1}, or a request line). */
    HTTP_1_1,
    /** HTTP/2 (ALPN {@code h2}, or the connection preface {@code PRI * HTTP/2.0}). */
    HTTP_2
}
