package dev.tern.fleet.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tern.spi.RelayStatus;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lines relays of every version share in Redis: their layouts must not move with the record's shape. */
class RelayStatusLineTest {

    private static final String LINE = "v1\trelay-1\tkernel\t100\t7\t64000\t1\t1700000000000\t"
            + "turn:192.0.2.1:3478?transport=udp turns:192.0.2.1:5349?transport=tcp";

    private static final RelayStatus STATUS = new RelayStatus("relay-1",
            List.of(URI.create("turn:192.0.2.1:3478?transport=udp"), URI.create("turns:192.0.2.1:5349?transport=tcp")),
            RelayStatus.Setup.unknownKey("kernel"), new RelayStatus.Load(100, 7, 64_000), true,
            Instant.ofEpochMilli(1_700_000_000_000L));

    @Test
    void writesTheV1LayoutFieldByField() {
        assertEquals(LINE, RelayStatusLine.write(STATUS));
    }

    @Test
    void readsTheV1LayoutBack() {
        assertEquals(Optional.of(STATUS), RelayStatusLine.read(LINE));
    }

    private static final String V2_LINE = LINE.replace("v1", "v2") + "\t0123456789abcdef\tfleet";

    private static final RelayStatus V2_STATUS = new RelayStatus(STATUS.relayId(), STATUS.uris(),
            new RelayStatus.Setup("kernel", "0123456789abcdef", RelayStatus.NonceKeyOrigin.FLEET), STATUS.load(),
            STATUS.draining(), STATUS.seenAt());

    @Test
    void aV1LineReadsWithAnUnknownNonceKey() {
        RelayStatus read = RelayStatusLine.read(LINE).orElseThrow();
        assertEquals(RelayStatus.Setup.unknownKey("kernel"), read.setup());
    }

    @Test
    void writesTheNonceKeyDigestAndOriginAsV2TrailingFields() {
        assertEquals(V2_LINE, RelayStatusLine.write(V2_STATUS));
    }

    @Test
    void readsTheV2LayoutBack() {
        assertEquals(Optional.of(V2_STATUS), RelayStatusLine.read(V2_LINE));
    }

    @Test
    void leavesALineOfAnotherLayoutUnread() {
        assertEquals(Optional.empty(), RelayStatusLine.read(LINE.replace("v1", "v3")));
        assertEquals(Optional.empty(), RelayStatusLine.read(LINE.replace("v1", "v2")));
        assertEquals(Optional.empty(), RelayStatusLine.read(V2_LINE.replace("fleet", "borrowed")));
        assertEquals(Optional.empty(), RelayStatusLine.read(V2_LINE.replace("0123456789abcdef", "the-key")));
    }
}
