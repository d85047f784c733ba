package org.ddabridge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.check.Evidence;
import org.ddabridge.check.Reason;
import org.ddabridge.check.Severity;

/**
 * The records whose equals is written out (to keep a cold start from linking the generated one) compare exactly
 * what a record's generated equals compares: every component, and nothing else.
 */
class WrittenEqualsTest {
    @Test
    void pciAddress() throws Exception {
        check(PciAddress.class, new Object[] {0, 1, 2, 3}, new Object[] {1, 2, 3, 4});
    }

    @Test
    void evidence() throws Exception {
        check(Evidence.class, new Object[] {"config:0000:01:00.0", "flags=0x01"}, new Object[] {"dmesg", null});
    }

    @Test
    void reason() throws Exception {
        check(Reason.class,
                new Object[] {"AcsPathMissing", Severity.ERROR, "m", List.of(new Evidence("a", "b")), "fix", "run"},
                new Object[] {"NoReset", Severity.WARNING, "n", List.of(new Evidence("a", "c")), null, null});
    }

    @Test
    void pciIdsFileIdentity() throws Exception {
        Class<?> identity = Class.forName("org.ddabridge.driver.linux.PciIds$Identity");
        check(identity, new Object[] {Path.of("/a"), "key", 10L, FileTime.fromMillis(1)},
                new Object[] {Path.of("/b"), null, 11L, FileTime.fromMillis(2)});
    }

    /** Equal when every component is; different when any one is (either way round); never equal to others. */
    private static void check(Class<?> type, Object[] a, Object[] b) throws Exception {
        RecordComponent[] parts = type.getRecordComponents();
        assertEquals(parts.length, a.length);
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
        }
        Constructor<?> make = type.getDeclaredConstructor(types);
        make.setAccessible(true);
        Object one = make.newInstance(a);
        Object same = make.newInstance(a.clone());
        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertNotEquals(one, null);
        assertNotEquals(one, "text");
        for (int i = 0; i < parts.length; i++) {
            Object[] changed = a.clone();
            changed[i] = b[i];
            Object other = make.newInstance(changed);
            assertNotEquals(one, other, type.getSimpleName() + "." + parts[i].getName());
            assertNotEquals(other, one, type.getSimpleName() + "." + parts[i].getName());
        }
    }
}
