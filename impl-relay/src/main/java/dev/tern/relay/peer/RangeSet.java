package dev.tern.relay.peer;

import dev.tern.spi.AddressRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A set of addresses as sorted, disjoint ranges in parallel arrays: membership is a binary search
 * over primitives, with no allocation. Immutable and thread-safe once built.
 */
final class RangeSet {

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;

    RangeSet(List<AddressRange> ranges) {
        List<AddressRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing((AddressRange r) -> r, (a, b) ->
                AddressRange.compare(a.startHi(), a.startLo(), b.startHi(), b.startLo())));
        List<AddressRange> merged = new ArrayList<>();
        for (AddressRange r : sorted) {
            AddressRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && AddressRange.compare(r.startHi(), r.startLo(), last.endHi(), last.endLo()) <= 0) {
                if (AddressRange.compare(r.endHi(), r.endLo(), last.endHi(), last.endLo()) > 0) {
                    merged.set(merged.size() - 1,
                            new AddressRange(last.startHi(), last.startLo(), r.endHi(), r.endLo()));
                }
            } else {
                merged.add(r);
            }
        }
        int n = merged.size();
        startHi = new long[n];
        startLo = new long[n];
        endHi = new long[n];
        endLo = new long[n];
        for (int i = 0; i < n; i++) {
            AddressRange r = merged.get(i);
            startHi[i] = r.startHi();
            startLo[i] = r.startLo();
            endHi[i] = r.endHi();
            endLo[i] = r.endLo();
        }
    }

    boolean contains(long hi, long lo) {
        int low = 0;
        int high = startHi.length - 1;
        int candidate = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (AddressRange.compare(startHi[mid], startLo[mid], hi, lo) <= 0) {
                candidate = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return candidate >= 0 && AddressRange.compare(hi, lo, endHi[candidate], endLo[candidate]) <= 0;
    }

    int size() {
        return startHi.length;
    }
}
