import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a synthetic host image for the benchmark: DOMAINS PCI domains x PORTS root ports x NICS NIC
 * functions behind each port, with real configuration spaces taken from pciutils' test dumps (a Haswell-E
 * root port and an Intel 82576 NIC), laid out exactly as Linux sysfs does (relative symlinks included).
 *
 * Usage: java SyntheticHost.java OUT_DIR DUMPS_DIR [domains ports nicsPerPort]
 */
public final class SyntheticHost {
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path dumps = Path.of(args[1]);
        int domains = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int ports = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int nics = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        byte[] rootPort = firstDump(dumps.resolve("cap-aer-root"));
        byte[] nic = firstDump(dumps.resolve("cap-pcie-2"));
        Path sys = out.resolve("sys");
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        for (String d : List.of("pcieport", "igb")) {
            Files.createDirectories(sys.resolve("bus/pci/drivers/" + d));
        }
        Files.createDirectories(out.resolve("proc/sys/kernel"));
        Files.writeString(out.resolve("proc/sys/kernel/hostname"), "synthetic\n");
        Files.writeString(out.resolve("proc/cmdline"), "intel_iommu=on\n");
        int group = 0;
        int count = 0;
        for (int dom = 0; dom < domains; dom++) {
            String rootDir = String.format("devices/pci%04x:00", dom);
            for (int p = 0; p < ports; p++) {
                String portAddr = String.format("%04x:00:%02x.0", dom, p);
                String portDir = rootDir + "/" + portAddr;
                byte[] cfg = rootPort.clone();
                cfg[0x18] = 0;
                cfg[0x19] = (byte) (p + 1);
                cfg[0x1a] = (byte) (p + 1);
                function(sys, portAddr, portDir, cfg, "pcieport", group++, "");
                count++;
                int devices = (nics + 7) / 8;
                for (int dev = 0; dev < devices; dev++) {
                    for (int fn = 0; fn < 8 && dev * 8 + fn < nics; fn++) {
                        String addr = String.format("%04x:%02x:%02x.%x", dom, p + 1, dev, fn);
                        byte[] ncfg = nic.clone();
                        ncfg[0x0e] = (byte) 0x80; // multifunction
                        // One 128 KiB window per NIC (the same layout as before for 32 NICs a port).
                        long bar = 0xf0000000L + ((long) ((dom * ports + p) * nics + dev * 8 + fn) << 17);
                        String res = String.format("0x%016x 0x%016x 0x0000000000040200%n", bar, bar + 0x1ffff)
                                + "0x0000000000000000 0x0000000000000000 0x0000000000000000\n".repeat(5);
                        function(sys, addr, portDir + "/" + addr, ncfg, "igb", group++, res);
                        count++;
                    }
                }
            }
        }
        System.out.println(count);
    }

    static void function(Path sys, String addr, String dir, byte[] config, String driver, int group, String resource)
            throws IOException {
        Path d = sys.resolve(dir);
        Files.createDirectories(d);
        Files.write(d.resolve("config"), config);
        write(d, "vendor", String.format("0x%02x%02x", config[1], config[0]));
        write(d, "device", String.format("0x%02x%02x", config[3], config[2]));
        write(d, "class", String.format("0x%02x%02x%02x", config[11], config[10], config[9]));
        write(d, "revision", String.format("0x%02x", config[8]));
        write(d, "subsystem_vendor", String.format("0x%02x%02x", config[0x2d], config[0x2c]));
        write(d, "subsystem_device", String.format("0x%02x%02x", config[0x2f], config[0x2e]));
        write(d, "resource", resource.isEmpty() ? "0x0000000000000000 0x0000000000000000 0x0000000000000000\n" : resource);
        write(d, "numa_node", "-1");
        write(d, "irq", "16");
        write(d, "enable", "1");
        int depth = dir.split("/").length;
        Files.createSymbolicLink(d.resolve("driver"), Path.of("../".repeat(depth) + "bus/pci/drivers/" + driver));
        Path g = sys.resolve("kernel/iommu_groups/" + group + "/devices");
        Files.createDirectories(g);
        // Every kernel since 5.11 gives each group its default domain type (DMA, DMA-FQ, identity).
        write(g.getParent(), "type", "DMA");
        Files.createSymbolicLink(d.resolve("iommu_group"), Path.of("../".repeat(depth) + "kernel/iommu_groups/" + group));
        Files.createSymbolicLink(g.resolve(addr), Path.of("../../../../" + dir));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/" + addr), Path.of("../../../" + dir));
    }

    static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text.endsWith("\n") ? text : text + "\n");
    }

    /** The first function's hex dump in an lspci -xxxx file, padded to 4096 bytes. */
    static byte[] firstDump(Path file) throws IOException {
        byte[] cfg = new byte[4096];
        int seen = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.matches("^[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7] .*")) {
                if (seen++ > 0) {
                    break;
                }
                continue;
            }
            if (!line.matches("^[0-9a-f]{2,3}: .*")) {
                continue;
            }
            String[] parts = line.split(":\\s*", 2);
            int off = Integer.parseInt(parts[0], 16);
            List<String> bytes = new ArrayList<>(List.of(parts[1].trim().split("\\s+")));
            for (int i = 0; i < bytes.size() && off + i < cfg.length; i++) {
                cfg[off + i] = (byte) Integer.parseInt(bytes.get(i), 16);
            }
        }
        return cfg;
    }
}
