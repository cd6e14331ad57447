package dev.tern.config;

/** The config example of issue #2, as every later module uses its shape. */
final class ExampleConfig {

    static final String TURN_SECRET = "s3cret-from-env-0123456789";
    static final String BIND_PASSWORD = "bind-pw-from-file-42";

    static final String YAML = """
            server_name: example.org
            credentials:
              type: rest
              secrets: ["${TURN_SECRET}"]          # the first signs, all verify
              lifetime: 1h
              uris: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp"]
            policy:
              defaults: { force_relay: false, turn_allowed: true, guests_allowed: true, max_allocations: 12 }
              sources:
                - { type: file, path: policy.yaml }
                - { type: ldap, url: "ldaps://ldap.example.org", bind_dn: "cn=tern,dc=example,dc=org", bind_password_file: "ldap.pw" }
            relay:
              type: netty
              realm: example.org
              listen: ["udp://0.0.0.0:3478", "tcp://0.0.0.0:3478", "tls://0.0.0.0:443"]
              relay_address: 10.0.0.5
              external_address: 203.0.113.7
              ports: 49152-65535
              allowed_peers: []
              tls: { cert_file: /etc/tern/fullchain.pem, key_file: /etc/tern/privkey.pem }
            matrix:
              listen: "http://127.0.0.1:8008"
              access_tokens: { type: whoami, homeserver: "http://127.0.0.1:8009" }
              well_known: { "m.homeserver": { base_url: "https://matrix.example.org" } }
            metrics: { enabled: true }
            """;

    private ExampleConfig() {
    }
}
