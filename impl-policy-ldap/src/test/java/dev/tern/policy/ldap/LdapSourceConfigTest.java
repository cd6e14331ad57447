package dev.tern.policy.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tern.api.Secret;
import dev.tern.policy.PolicySettings;
import dev.tern.spi.InvalidSettingException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LdapSourceConfigTest {

    private static LdapSourceConfig config(String url, Boolean startTls, String bindDn, Secret password,
            String userFilter, Duration cacheTtl, Duration refreshAfter) {
        return LdapSourceConfig.builder()
                .url(url)
                .startTls(startTls)
                .bindDn(bindDn)
                .bindPassword(password)
                .baseDn("dc=example,dc=org")
                .userFilter(userFilter)
                .cacheTtl(cacheTtl)
                .refreshAfter(refreshAfter)
                .build();
    }

    private static String keyOf(Runnable r) {
        return assertThrows(InvalidSettingException.class, r::run).key();
    }

    @Test
    void appliesDefaultsAndReadsTheUrl() {
        LdapSourceConfig c = config("LDAPS://ldap.example.org", null, null, null, null, null, null);
        assertEquals(true, c.ldaps());
        assertEquals(636, c.port());
        assertEquals("ldap.example.org", c.host());
        assertEquals(LdapSourceConfig.DEFAULT_USER_FILTER, c.userFilter());
        assertEquals("memberOf", c.memberOfAttribute());
        assertEquals(4, c.poolSize());
        assertEquals(Duration.ofMinutes(5), c.cacheTtl());
        assertEquals(Duration.ofMinutes(1), c.refreshAfter());
        assertEquals(389, config("ldap://h", null, null, null, null, null, null).port());
        assertEquals(Duration.ofSeconds(15), config("ldap://h", null, null, null, null, Duration.ofSeconds(30), null)
                .refreshAfter(), "refresh defaults to half a short TTL");
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertEquals("url", keyOf(() -> config(null, null, null, null, null, null, null)));
        assertEquals("url", keyOf(() -> config("http://ldap.example.org", null, null, null, null, null, null)));
        assertEquals("start_tls", keyOf(() -> config("ldaps://h", true, null, null, null, null, null)));
        assertEquals("bind_password", keyOf(() -> config("ldap://h", null, "cn=tern", null, null, null, null)));
        assertEquals("bind_dn", keyOf(() -> config("ldap://h", null, null, Secret.of("pw"), null, null, null)));
        assertEquals("user_filter", keyOf(() -> config("ldap://h", null, null, null, "(uid={name})", null, null)));
        assertEquals("user_filter", keyOf(() -> config("ldap://h", null, null, null, "uid={localpart}", null, null)));
        assertEquals("refresh_after", keyOf(() -> config("ldap://h", null, null, null, null, Duration.ofMinutes(1),
                Duration.ofMinutes(2))));
        assertEquals("trust_all", keyOf(() -> LdapSourceConfig.builder()
                .url("ldaps://h")
                .trustStore(Path.of("ca.p12"))
                .trustAll(true)
                .baseDn("dc=x")
                .build()));
        assertEquals("base_dn", keyOf(() -> new GroupSearch(null, null, null)));
        assertEquals("filter", keyOf(() -> new GroupSearch("ou=groups", "(member=uid)", null)));
        PolicySettings force = PolicySettings.builder().forceRelay(true).build();
        assertEquals("group", keyOf(() -> new LdapRule("x", "staff", "employeeType", null, force)));
        assertEquals("set", keyOf(() -> new LdapRule("x", "staff", null, null,
                PolicySettings.builder().build())));
        assertEquals("values", keyOf(() -> new LdapRule("x", "staff", null, List.of("a"), force)));
    }

    @Test
    void groupFilterPlaceholdersAreCheckedAsTheUserFiltersAre() {
        var unknown = assertThrows(InvalidSettingException.class,
                () -> new GroupSearch("ou=groups", "(member={user})", null));
        assertEquals("filter", unknown.key());
        assertEquals("unknown placeholder {user} (expected {dn}, {uid}, {localpart}, {user_id} or {server})",
                unknown.problem());
        assertEquals("user_filter: unknown placeholder {name} (expected {localpart}, {user_id} or {server})",
                assertThrows(InvalidSettingException.class, () -> config("ldap://h", null, null, null, "(uid={name})",
                        null, null)).getMessage(), "one check for both filters");
        assertEquals("(memberUid={uid})", new GroupSearch("ou=groups", "(memberUid={uid})", null).filter(),
                "posixGroup needs no {dn}");
        assertEquals("nested_depth", keyOf(() -> new GroupSearch("ou=groups", "(memberUid={uid})", 1)));
        assertEquals("filter", keyOf(() -> new GroupSearch("ou=groups", "memberUid={uid}", null)));
    }

    @Test
    void serverNamesAreMatrixServerNamesComparedWithoutCase() {
        LdapSourceConfig c = LdapSourceConfig.builder()
                .url("ldap://h")
                .baseDn("dc=x")
                .serverNames(List.of("Example.org"))
                .build();
        assertEquals(List.of("example.org"), c.serverNames());
        assertEquals(true, c.servesUsersOf("EXAMPLE.ORG"));
        assertEquals(false, c.servesUsersOf("other.example"));
        assertEquals(List.of("home.example"), config("ldap://h", null, null, null, null, null, null)
                .resolve(Path.of("/etc/tern"), "home.example").serverNames(), "the homeserver's name by default");
        assertEquals("server_names", keyOf(() -> LdapSourceConfig.builder()
                .url("ldap://h")
                .baseDn("dc=x")
                .serverNames(List.of("@alice:example.org"))
                .build()));
    }

    @Test
    void neverShowsTheBindPassword() {
        var e = assertThrows(InvalidSettingException.class, () -> LdapSourceConfig.builder()
                .url("ldap://h")
                .bindPassword(Secret.of("hunter2"))
                .baseDn("dc=x")
                .build());
        assertFalse(e.getMessage().contains("hunter2"));
    }
}
