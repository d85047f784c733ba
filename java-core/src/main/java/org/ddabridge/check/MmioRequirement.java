package org.ddabridge.check;

import java.util.List;

import org.ddabridge.model.Bar;
/**
 * The guest MMIO space a device's memory BARs need. 32-bit BARs must sit below 4 GiB (Hyper-V's low MMIO
 * gap, QEMU's 32-bit PCI hole); 64-bit BARs can go above (Hyper-V's high MMIO gap, QEMU's 64-bit hole).
 *
 * <p>BARs are powers of two and naturally aligned, so a set of them packs without holes into a window
 * that is itself aligned to the largest; rounding the sum up to the next power of two therefore always
 * fits. The recommendations add headroom for the VM's own devices below 4 GiB (32 MiB) and never go below
 * Hyper-V's documented defaults (128 MiB low, 512 MiB high).
 *
 * @param belowFourGiB bytes of 32-bit memory BARs
 * @param aboveFourGiB bytes of 64-bit memory BARs
 */
public record MmioRequirement(long belowFourGiB, long aboveFourGiB) {
    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;
    public static final long HYPERV_LOW_DEFAULT = 128 * MIB;
    public static final long HYPERV_HIGH_DEFAULT = 512 * MIB;
    /** QEMU q35's default 64-bit PCI hole. */
    public static final long QEMU_HOLE64_DEFAULT = 32 * GIB;
    static final long LOW_HEADROOM = 32 * MIB;

    public static MmioRequirement of(List<Bar> bars) {
        long low = 0;
        long high = 0;
        for (Bar b : bars) {
            if (b.isMemory()) {
                if (b.is64Bit()) {
                    high += b.size();
                } else {
                    low += b.size();
                }
            }
        }
        return new MmioRequirement(low, high);
    }

    public long total() {
        return belowFourGiB + aboveFourGiB;
    }

    /** Microsoft's survey figure: the sum rounded up to whole MiB. */
    public long totalMiB() {
        return (total() + MIB - 1) / MIB;
    }

    /** Value for {@code Set-VM -LowMemoryMappedIoSpace}, bytes. */
    public long hyperVLow() {
        return Math.max(HYPERV_LOW_DEFAULT, nextPowerOfTwo(belowFourGiB + (belowFourGiB > 0 ? LOW_HEADROOM : 0)));
    }

    /** Value for {@code Set-VM -HighMemoryMappedIoSpace}, bytes. */
    public long hyperVHigh() {
        return Math.max(HYPERV_HIGH_DEFAULT, nextPowerOfTwo(aboveFourGiB));
    }

    /** Value for {@code -global q35-pcihost.pci-hole64-size=}, bytes (whole GiB, power of two). */
    public long qemuHole64() {
        return Math.max(GIB, nextPowerOfTwo(aboveFourGiB));
    }

    public boolean exceedsHyperVDefaults() {
        return belowFourGiB > HYPERV_LOW_DEFAULT || aboveFourGiB > HYPERV_HIGH_DEFAULT;
    }

    static long nextPowerOfTwo(long v) {
        if (v <= 1) {
            return v <= 0 ? 0 : 1;
        }
        long p = Long.highestOneBit(v);
        return p == v ? v : p << 1;
    }

    /** Sizes like Hyper-V takes them: {@code 512MB}, {@code 33280MB}. */
    public static String mb(long bytes) {
        return ((bytes + MIB - 1) / MIB) + "MB";
    }

    /** Binary-unit size for messages: {@code 16 KiB}, {@code 256 MiB}, {@code 16 GiB}, {@code 0}. */
    public static String human(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.1f", v)) + " " + units[u];
    }

    /** QEMU size suffix: whole GiB as {@code 64G}, else {@code M}. */
    public static String qemuSize(long bytes) {
        return bytes % GIB == 0 ? (bytes / GIB) + "G" : ((bytes + MIB - 1) / MIB) + "M";
    }
}
