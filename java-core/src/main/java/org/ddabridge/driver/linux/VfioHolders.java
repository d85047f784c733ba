package org.ddabridge.driver.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Who holds {@code /dev/vfio/<group>} open: a scan of {@code <procRoot>/<pid>/fd/*} for links to the group's node,
 * then the holder's command line for the VM's name ({@code -name guest=NAME,...} as libvirt starts QEMU, or the
 * older {@code -name NAME}) and its QMP socket ({@code -qmp unix:PATH,...}).
 *
 * <p>The proc root is a parameter ({@code /proc} on the host) so that tests run on a fake tree. Processes that
 * vanish or whose fds are unreadable during the scan are skipped and counted. JDK only: the mount guard
 * ({@code assign}) and the VM commands ({@code vm}) both use it.
 */
public final class VfioHolders {
    private VfioHolders() {
    }

    /**
     * One process with the group's node open.
     *
     * @param pid        process id
     * @param comm       short command name ({@code comm}), e.g. {@code qemu-system-x86}
     * @param cmdline    the arguments
     * @param vmName     QEMU's {@code -name} guest name, or null when the command line has none
     * @param qmpSocket  QEMU's {@code -qmp unix:} socket path, or null
     */
    public record Holder(int pid, String comm, List<String> cmdline, String vmName, String qmpSocket) {
        public Holder {
            cmdline = List.copyOf(cmdline);
        }

        /** How a message names this holder: {@code VM 'NAME' (pid 42)}, or {@code qemu-system-x86 (pid 42)}. */
        public String describe() {
            if (vmName != null) {
                return "VM '" + vmName + "' (pid " + pid + ")";
            }
            if (qmpSocket != null) {
                return "VM qmp:" + qmpSocket + " (pid " + pid + ")";
            }
            return comm + " (pid " + pid + ")";
        }
    }

    /**
     * The result of a scan.
     *
     * @param holders    processes with the node open, by pid
     * @param unreadable processes whose fd table could not be read (not root, or gone)
     */
    public record Scan(List<Holder> holders, int unreadable) {
        public Scan {
            holders = List.copyOf(holders);
        }

        public Optional<Holder> first() {
            return holders.stream().findFirst();
        }
    }

    /** Holders of {@code /dev/vfio/<group>} under {@code procRoot}, leaving out {@code excludePid} (-1: none). */
    public static Scan holders(Path procRoot, int group, int excludePid) {
        return holdersOf(procRoot, "/dev/vfio/" + group, excludePid);
    }

    /** Holders of any absolute file path (an fd link must read it, or end with it: a holder under another root). */
    public static Scan holdersOf(Path procRoot, String node, int excludePid) {
        List<Holder> out = new ArrayList<>();
        int unreadable = 0;
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(procRoot)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 10) {
                    pids.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + procRoot + ": " + e.getMessage(), e);
        }
        pids.sort(Integer::compare);
        for (int pid : pids) {
            if (pid == excludePid) {
                continue;
            }
            Path fdDir = procRoot.resolve(Integer.toString(pid)).resolve("fd");
            boolean holds = false;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(fdDir)) {
                for (Path fd : ds) {
                    try {
                        // a holder in another root (chroot, container) shows as <its root>/dev/vfio/N from here
                        String t = Files.readSymbolicLink(fd).toString();
                        if (t.equals(node) || (node.startsWith("/") && t.endsWith(node))) {
                            holds = true;
                            break;
                        }
                    } catch (IOException | UnsupportedOperationException e) {
                        // fd closed meanwhile, or not a link: skip it
                    }
                }
            } catch (IOException e) {
                unreadable++;
                continue;
            }
            if (holds) {
                Path dir = procRoot.resolve(Integer.toString(pid));
                List<String> args = cmdline(dir.resolve("cmdline"));
                String comm = readTrim(dir.resolve("comm"));
                if (comm.isEmpty() && !args.isEmpty()) {
                    comm = Path.of(args.get(0)).getFileName().toString();
                }
                out.add(new Holder(pid, comm, args, vmName(args).orElse(null), qmpSocket(args).orElse(null)));
            }
        }
        return new Scan(out, unreadable);
    }

    /**
     * A QEMU process of this host.
     *
     * @param pid        process id
     * @param vmName     its {@code -name} guest name, or null
     * @param qmpSocket  its {@code -qmp unix:} socket, or null
     * @param vfioGroups the IOMMU groups whose {@code /dev/vfio/<n>} it holds open (empty when unreadable)
     */
    public record QemuProcess(int pid, String vmName, String qmpSocket, List<Integer> vfioGroups) {
        public QemuProcess {
            vfioGroups = List.copyOf(vfioGroups);
        }
    }

    /** Every process under {@code procRoot} whose program is {@code qemu-system-*}, by pid. */
    public static List<QemuProcess> qemuProcesses(Path procRoot) {
        List<QemuProcess> out = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(procRoot)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 10) {
                    pids.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + procRoot + ": " + e.getMessage(), e);
        }
        pids.sort(Integer::compare);
        for (int pid : pids) {
            Path dir = procRoot.resolve(Integer.toString(pid));
            List<String> args = cmdline(dir.resolve("cmdline"));
            if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().startsWith("qemu-system")) {
                continue;
            }
            List<Integer> groups = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("fd"))) {
                for (Path fd : ds) {
                    try {
                        String t = Files.readSymbolicLink(fd).toString();
                        if (t.startsWith("/dev/vfio/") && t.substring(10).chars().allMatch(Character::isDigit)
                                && t.length() > 10) {
                            int g = Integer.parseInt(t.substring(10));
                            if (!groups.contains(g)) {
                                groups.add(g);
                            }
                        }
                    } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // not readable: groups unknown
            }
            groups.sort(Integer::compare);
            out.add(new QemuProcess(pid, vmName(args).orElse(null), qmpSocket(args).orElse(null), groups));
        }
        return out;
    }

    /** The NUL-separated arguments of a {@code cmdline} file (empty when unreadable). */
    static List<String> cmdline(Path file) {
        try {
            String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String readTrim(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * QEMU's guest name from its arguments: {@code -name guest=NAME[,opt=...]}, {@code -name NAME[,process=...]},
     * {@code --name ...} and {@code -name=...}; {@code ,,} is QEMU's escaped comma.
     */
    public static Optional<String> vmName(List<String> args) {
        return optionValue(args, "name").flatMap(v -> {
            List<String> parts = splitOpts(v);
            for (String p : parts) {
                if (p.startsWith("guest=")) {
                    return nonEmpty(p.substring("guest=".length()));
                }
            }
            // the implicit first value: "-name NAME,process=..." (an option with '=' is not a name)
            return parts.isEmpty() || parts.get(0).contains("=") ? Optional.empty() : nonEmpty(parts.get(0));
        });
    }

    /** The path of {@code -qmp unix:PATH[,server=on,...]} (also {@code unix:path=PATH}). */
    public static Optional<String> qmpSocket(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = null;
            if ((a.equals("-qmp") || a.equals("--qmp")) && i + 1 < args.size()) {
                v = args.get(i + 1);
            } else if (a.startsWith("-qmp=") || a.startsWith("--qmp=")) {
                v = a.substring(a.indexOf('=') + 1);
            }
            if (v != null && v.startsWith("unix:")) {
                List<String> parts = splitOpts(v.substring("unix:".length()));
                if (!parts.isEmpty()) {
                    String p = parts.get(0);
                    return nonEmpty(p.startsWith("path=") ? p.substring(5) : p);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> optionValue(List<String> args, String opt) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-" + opt) || a.equals("--" + opt)) && i + 1 < args.size()) {
                return Optional.of(args.get(i + 1));
            }
            if (a.startsWith("-" + opt + "=") || a.startsWith("--" + opt + "=")) {
                return Optional.of(a.substring(a.indexOf('=') + 1));
            }
        }
        return Optional.empty();
    }

    /** Splits QEMU option syntax on single commas; {@code ,,} stands for a literal comma. */
    static List<String> splitOpts(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',') {
                if (i + 1 < v.length() && v.charAt(i + 1) == ',') {
                    cur.append(',');
                    i++;
                } else {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
