package dev.tern.policy.file;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tern.config.ConfigException;
import dev.tern.config.ConfigFileReader;
import dev.tern.config.ConfigProblem;
import dev.tern.spi.Subject;
import dev.tern.spi.GroupMembership;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of the policy file reader (issue #16 point 14): the {@link ConfigFileReader} of a
 * {@link RuleBook} on any bytes, as YAML and as JSON. Corpus in
 * {@code src/test/resources/dev/tern/policy/file/PolicyFileFuzzTestInputs/}: the launcher's example
 * policy and the rule shapes of this module's tests.
 *
 * <p>What must hold: the file is read, or refused with a {@link ConfigException} whose problems each
 * name a line (0 when unknown) and say what is wrong; never another exception. A rule book that was read answers for
 * users, guests, addresses and groups without throwing.
 */
class PolicyFileFuzzTest {

    private static final ConfigFileReader<RuleBook> YAML = new ConfigFileReader<>(Path.of("fuzz-policy.yaml"),
            RuleBook.class);
    private static final ConfigFileReader<RuleBook> JSON = new ConfigFileReader<>(Path.of("fuzz-policy.json"),
            RuleBook.class);
    private static final List<Subject> SUBJECTS = subjects();
    private static final GroupMembership GROUPS = new GroupMembership(
            Set.of("cn=staff,ou=groups,dc=example,dc=org", "cn=guests,ou=groups,dc=example,dc=org"));

    private static List<Subject> subjects() {
        try {
            return List.of(Subject.user("@alice:example.org"),
                    Subject.guest("@guest-1:example.org").withRemoteAddress(InetAddress.getByName("10.1.2.3")),
                    Subject.user("@bob:other.example").withRemoteAddress(InetAddress.getByName("2001:db8::1")),
                    Subject.user("@" + "a".repeat(200) + ":example.org")
                            .withRemoteAddress(InetAddress.getByName("192.168.1.1")));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void yamlPolicyIsReadOrRefusedWithConfigException(byte[] content) {
        readOrRefuse(YAML, content);
    }

    @FuzzTest(maxDuration = "5m")
    void jsonPolicyIsReadOrRefusedWithConfigException(byte[] content) {
        readOrRefuse(JSON, content);
    }

    private static void readOrRefuse(ConfigFileReader<RuleBook> reader, byte[] content) {
        RuleBook book;
        try {
            book = reader.read(content);
        } catch (ConfigException e) {
            for (ConfigProblem problem : e.problems()) {
                assertTrue(problem.line() >= 0, "a negative line");
                assertFalse(problem.message().isBlank());
            }
            return;
        }
        assertNotNull(book);
        book.needsGroups();
        for (Subject subject : SUBJECTS) {
            assertNotNull(book.evaluate(subject, GROUPS));
            assertNotNull(book.evaluate(subject, GroupMembership.NONE));
        }
        assertNotNull(book.evaluateServerWide("example.org"));
    }
}
