package dev.tern.relay.core.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An allocation's channel bindings by channel number: an open-addressing table of ints, so the lookup done for
 * every ChannelData (on the forwarding path) boxes nothing and allocates nothing. Replaces Netty's
 * {@code IntObjectHashMap} here so the core stays free of Netty; same behaviour for this use: a handful of
 * entries, looked up far more often than changed.
 *
 * <p>Not thread-safe: owned by the allocation's event loop. Channel numbers are 0x4000 to 0x4FFF, so at most
 * 4096 entries (RFC 8656 section 12).
 */
final class ChannelsByNumber {

    private static final int EMPTY = -1;

    private int[] keys = emptyKeys(4);
    private ChannelBinding[] values = new ChannelBinding[4];
    private int size;

    private static int[] emptyKeys(int capacity) {
        int[] k = new int[capacity];
        Arrays.fill(k, EMPTY);
        return k;
    }

    /** The binding of {@code number}, or {@code null}. */
    ChannelBinding get(int number) {
        int mask = keys.length - 1;
        for (int i = number & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == number) {
                return values[i];
            }
            if (k == EMPTY) {
                return null;
            }
        }
    }

    void put(int number, ChannelBinding binding) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = number & mask; ; i = (i + 1) & mask) {
            if (keys[i] == number) {
                values[i] = binding;
                return;
            }
            if (keys[i] == EMPTY) {
                keys[i] = number;
                values[i] = binding;
                size++;
                return;
            }
        }
    }

    /** Removes {@code number} if it is bound to {@code binding}. */
    void remove(int number, ChannelBinding binding) {
        if (get(number) == binding && binding != null) {
            remove(number);
        }
    }

    void remove(int number) {
        int mask = keys.length - 1;
        int i = number & mask;
        while (keys[i] != number) {
            if (keys[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = EMPTY;
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster so no lookup stops early at the hole.
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int k = keys[j];
            ChannelBinding v = values[j];
            keys[j] = EMPTY;
            values[j] = null;
            size--;
            put(k, v);
        }
    }

    /** The bindings (a copy). */
    List<ChannelBinding> values() {
        List<ChannelBinding> out = new ArrayList<>(size);
        for (ChannelBinding v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        ChannelBinding[] oldValues = values;
        keys = emptyKeys(oldKeys.length * 2);
        values = new ChannelBinding[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
