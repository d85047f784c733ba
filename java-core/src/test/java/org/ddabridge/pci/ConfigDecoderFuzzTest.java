package org.ddabridge.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.ddabridge.driver.dump.LspciDump;
import org.ddabridge.testing.ConfigSpaceBuilder;
/**
 * Fuzzes {@link ConfigDecoder#decode} with mutated config spaces: bit flips, rewritten capability
 * pointers and headers, truncation to random lengths (including below the 64-byte header). Seeds are
 * every function of the pciutils dump corpus in the repository (see {@link LspciDifferentialTest#corpus()},
 * which fails when dumps are missing) plus hand-made spaces from {@link ConfigSpaceBuilder}.
 */
class ConfigDecoderFuzzTest {
    /** Two hand-made spaces plus the 172 functions of the {@link LspciDifferentialTest#DUMPS} dumps. */
    static final int CORPUS = 2 + 172;
    private static final long SEED = Long.getLong("ddabridge.fuzz.seed", 0x5eed_dda_b1d9eL);
    private static final int ITERATIONS = Integer.getInteger("ddabridge.fuzz.iterations", 120_000);

    @Test
    // "Never hangs" is a claim only with a limit: a decoder loop that does not end fails here (the run takes
    // seconds; the limit leaves room for a loaded CI machine).
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedConfigSpacesNeverThrowOrHang() throws IOException {
        List<byte[]> seeds = seeds();
        assertEquals(CORPUS, seeds.size(), "fuzz corpus size");
        Random rnd = new Random(SEED);
        System.out.printf("fuzz: seed=0x%x iterations=%d corpus=%d%n", SEED, ITERATIONS, seeds.size());
        long start = System.nanoTime();
        int withFindings = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            DecodedFunction f;
            try {
                f = ConfigDecoder.decode("0000:00:00.0", input);
            } catch (RuntimeException | StackOverflowError e) {
                fail(String.format("seed 0x%x iteration %d: %s on %d bytes %s", SEED, i, e, input.length,
                        HexFormat.of().formatHex(input)), e);
                return;
            }
            assertNotNull(f.findings());
            assertEquals(input.length, f.configSize());
            assertTrue(f.capabilities().size() <= 48);
            assertTrue(f.extendedCapabilities().size() <= 960);
            if (input.length < ConfigSpace.HEADER_SIZE) {
                assertTrue(!f.findings().isEmpty(), "short config space without a finding");
            }
            if (!f.findings().isEmpty()) {
                withFindings++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("fuzz: %d inputs in %.1f s, %d with findings%n", ITERATIONS, seconds, withFindings);
        assertTrue(withFindings > 0);
    }

    @Test
    void malformedChainsBecomeFindings() {
        byte[] base = ConfigSpaceBuilder.endpoint(1, 2).pm(0x40, 3, false).pcie(0x50, 2, 0, true)
                .acs(0x100, 0x1f, 0x1f).ari(0x140, 0).build();
        Random rnd = new Random(SEED);
        for (int i = 0; i < 2000; i++) {
            byte[] b = base.clone();
            // Point the last link of each list at a random earlier or out-of-range place.
            b[0x51] = (byte) rnd.nextInt(256);
            int next = rnd.nextInt(0x1000);
            b[0x142] = (byte) ((next << 4) | 1);
            b[0x143] = (byte) (next >> 4);
            DecodedFunction f = ConfigDecoder.decode("0000:00:00.0", b);
            boolean stdOk = (b[0x51] & 0xff) == 0 || !f.findings().isEmpty() || f.capabilities().size() > 2;
            assertTrue(stdOk, "no finding for std pointer " + (b[0x51] & 0xff) + ": " + f.findings());
            boolean extBad = next != 0 && (next < 0x100 || next == 0x100 || next == 0x140 || (next & 3) != 0);
            if (extBad) {
                assertTrue(!f.findings().isEmpty(), "no finding for ext pointer " + next);
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        int kind = rnd.nextInt(5);
        switch (kind) {
            case 0 -> {
                for (int n = 1 + rnd.nextInt(16); n > 0; n--) {
                    int at = rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> {
                // Rewrite standard pointers: 0x34 or some next byte in the capability area.
                b[0x06] |= 0x10;
                int at = rnd.nextBoolean() ? 0x34 : 0x40 + rnd.nextInt(0xc0);
                b[at] = (byte) rnd.nextInt(256);
            }
            case 2 -> {
                // Rewrite an extended header's next pointer (bits 31:20) at a dword in 0x100-0xffc.
                if (b.length > 0x104) {
                    int at = 0x100 + 4 * rnd.nextInt((b.length - 0x100) / 4);
                    int next = rnd.nextInt(0x1000);
                    b[at + 2] = (byte) ((b[at + 2] & 0x0f) | (next << 4));
                    b[at + 3] = (byte) (next >> 4);
                }
            }
            case 3 -> {
                // Random bytes over a random window.
                int at = rnd.nextInt(b.length);
                for (int n = rnd.nextInt(64); n > 0 && at < b.length; n--, at++) {
                    b[at] = (byte) rnd.nextInt(256);
                }
            }
            default -> {
            }
        }
        if (rnd.nextInt(3) == 0) {
            // Truncate: a third of the time, to anywhere (including below the header).
            b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
        }
        return b;
    }

    private static List<byte[]> seeds() throws IOException {
        List<byte[]> out = new ArrayList<>();
        out.add(ConfigSpaceBuilder.endpoint(0x8086, 0x10c9).pm(0x40, 3, true).msi(0x50, 3, true, true)
                .msix(0x70, 10, 3, 0, 3, 0x2000, true).pcie(0xa0, 2, 0, true).acs(0x100, 0x7f, 0x1d).ari(0x140, 1)
                .sriov(0x160, 8, 8, 1, 384, 2, 0x10ca).extendedCapability(0x1a0, 0x15, 1).u32(0x1a8, 0x20)
                .build());
        out.add(ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0, 1, 5).pcie(0x40, 2, 4, false).acs(0x100, 0x1f, 0x1f)
                .build());
        for (Path p : LspciDifferentialTest.corpus()) {
            LspciDump.parse(Files.readString(p, StandardCharsets.ISO_8859_1)).forEach(f -> out.add(f.config()));
        }
        out.removeIf(b -> b.length == 0);
        return out;
    }
}
