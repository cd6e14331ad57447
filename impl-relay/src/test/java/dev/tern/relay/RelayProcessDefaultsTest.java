package dev.tern.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

class RelayProcessDefaultsTest {

    @Test
    void turnsLeakDetectionOffWhenNobodyChoseALevel() {
        String before = System.clearProperty(RelayProcessDefaults.LEAK_DETECTION_PROPERTY);
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        try {
            assertTrue(RelayProcessDefaults.disableLeakDetectionUnlessConfigured());
            assertEquals(ResourceLeakDetector.Level.DISABLED, ResourceLeakDetector.getLevel());
        } finally {
            ResourceLeakDetector.setLevel(level);
            if (before != null) {
                System.setProperty(RelayProcessDefaults.LEAK_DETECTION_PROPERTY, before);
            }
        }
    }

    @Test
    void keepsTheLevelAnOperatorChose() {
        String before = System.setProperty(RelayProcessDefaults.LEAK_DETECTION_PROPERTY, "paranoid");
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            assertFalse(RelayProcessDefaults.disableLeakDetectionUnlessConfigured());
            assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        } finally {
            ResourceLeakDetector.setLevel(level);
            if (before == null) {
                System.clearProperty(RelayProcessDefaults.LEAK_DETECTION_PROPERTY);
            } else {
                System.setProperty(RelayProcessDefaults.LEAK_DETECTION_PROPERTY, before);
            }
        }
    }
}
