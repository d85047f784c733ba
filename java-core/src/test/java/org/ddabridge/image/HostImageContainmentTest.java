package org.ddabridge.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.ddabridge.cli.Main;
import org.ddabridge.testing.FakeSysfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial host images, all through the real CLI entry ({@link Main#run}): a crafted image must end in a
 * JSON error envelope with a stable id (never {@code Internal}, never a stack trace, never a hang), must not
 * make the engine read the machine it runs on, and must not make it write outside the image.
 *
 * <p>Every test is written against the CLI and the public tar writer only, so the suite also compiles (and
 * fails) against the code before the containment work.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostImageContainmentTest {
    /** The one function of the crafted images: an address this machine is unlikely to have. */
    static final String IMAGE_FN = "0000:5a:00.0";
    /** The function of the decoy tree outside the image: seeing it in output means the image escaped. */
    static final String OUTSIDE_FN = "0000:7e:1f.7";

    @TempDir
    Path tmp;

    /** FIFOs a test created: opened for writing afterwards so a reader stuck on one (old code) is released. */
    private final List<Path> fifos = new ArrayList<>();

    @AfterEach
    void releaseFifos() {
        for (Path f : fifos) {
            Thread t = new Thread(() -> {
                try (OutputStream os = Files.newOutputStream(f)) {
                    os.flush();
                } catch (IOException ignored) {
                    // nobody was blocked on it
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    // ---------------------------------------------------------------- CLI plumbing

    record Run(int exit, String out, String err) {
        JsonObject json() {
            try {
                return JsonParser.parseString(out).getAsJsonObject();
            } catch (RuntimeException e) {
                return fail("not a JSON envelope (exit " + exit + "):\n" + out + "\nstderr:\n" + err);
            }
        }

        JsonObject error() {
            JsonObject j = json();
            assertFalse(j.get("ok").getAsBoolean(), "expected an error envelope:\n" + out);
            return j.getAsJsonObject("error");
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    static Run devices(Path root) {
        return run("devices", "--root", root.toString(), "--json");
    }

    /** An error envelope with {@code id}, a non-zero exit and no Java stack trace anywhere. */
    static JsonObject assertError(Run r, String id) {
        JsonObject e = r.error();
        assertNotEquals("Internal", e.get("id").getAsString(), r.out());
        assertEquals(id, e.get("id").getAsString(), r.out());
        assertNotEquals(0, r.exit());
        assertNoStackTrace(r);
        return e;
    }

    static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("\tat org.") || r.err().contains("Exception in"), r.err());
        assertFalse(r.out().contains("\tat org."), r.out());
    }

    /** Nothing the output says may come from this machine's own /sys or from the decoy tree. */
    static void assertNothingFromOutside(Run r) throws IOException {
        assertFalse(r.out().contains(OUTSIDE_FN), "the decoy outside the image was read:\n" + r.out());
        Path live = Path.of("/sys/bus/pci/devices");
        if (Files.isDirectory(live)) {
            try (var names = Files.list(live)) {
                for (String name : names.map(p -> p.getFileName().toString()).toList()) {
                    assertFalse(r.out().contains(name), "this machine's " + name + " was listed:\n" + r.out());
                }
            }
        }
    }

    // ---------------------------------------------------------------- archive builders

    /** 64 bytes of type-0 config space with the given ids. */
    static byte[] config(int vendor, int device) {
        byte[] c = new byte[64];
        c[0] = (byte) vendor;
        c[1] = (byte) (vendor >> 8);
        c[2] = (byte) device;
        c[3] = (byte) (device >> 8);
        c[0x0b] = 0x02; // network controller
        return c;
    }

    /** A minimal valid host image: one function under sys/devices with its bus link. */
    static void baseMembers(Tar.Writer w) throws IOException {
        String dir = "sys/devices/pci0000:5a/" + IMAGE_FN;
        w.directory("sys");
        w.directory("sys/bus/pci/devices");
        w.directory(dir);
        w.file(dir + "/config", config(0x1af4, 0x1041));
        w.symlink("sys/bus/pci/devices/" + IMAGE_FN, "../../../devices/pci0000:5a/" + IMAGE_FN);
    }

    interface Members {
        void add(Tar.Writer w, OutputStream raw) throws IOException;
    }

    /** A .tar.gz written through a gzip stream, so size bombs stay small on disk. */
    Path archive(String name, boolean withBase, Members members) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16)) {
            Tar.Writer w = new Tar.Writer(os, 0);
            if (withBase) {
                baseMembers(w);
            }
            members.add(w, os);
            w.finish();
        }
        return p;
    }

    /** A raw ustar header block of any type (hard links, devices, FIFOs: the writer has no method for them). */
    static byte[] header(String name, char type, String link, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, link);
        put(h, 257, "ustar");
        put(h, 263, "00");
        if (type == '3' || type == '4') {
            put(h, 329, "0000001"); // major 1
            put(h, 337, "0000005"); // minor 5: /dev/zero
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, b.length);
    }

    // ---------------------------------------------------------------- archives: links that leave the image

    /** The example: {@code s -> .} and {@code esc -> s/s/s/s/../../../..} pass a text check but reach /. */
    @Test
    void symlinkChainToTheRealRootIsRefused() throws IOException {
        Path a = archive("chain.tar.gz", false, (w, raw) -> {
            w.symlink("s", ".");
            w.symlink("esc", "s/s/s/s/../../../..");
            w.symlink("sys", "esc/sys");
        });
        Run r = devices(a);
        assertError(r, "HostImageInvalid");
        assertNothingFromOutside(r);
    }

    /** A file member below the escaping chain would be an arbitrary file write as root. */
    @Test
    void fileMemberBelowAnEscapingLinkIsNotWrittenOutside() throws IOException {
        Path sentinel = tmp.resolve("outside").resolve("sentinel-written-by-image");
        Files.createDirectories(sentinel.getParent());
        Path a = archive("write.tar.gz", true, (w, raw) -> {
            w.symlink("s", ".");
            w.symlink("esc", "s/s/s/s/s/s/s/s/s/s/s/s/../../../../../../../../../../../..");
            w.file("esc" + sentinel, "owned\n".getBytes(StandardCharsets.US_ASCII));
        });
        Run r = devices(a);
        assertError(r, "HostImageInvalid");
        assertFalse(Files.exists(sentinel, LinkOption.NOFOLLOW_LINKS), "the archive wrote " + sentinel);
    }

    /** A link into a sibling directory of the image: the text stays "inside" once normalised, the walk does not. */
    @Test
    void linkChainIntoASiblingDirectoryIsRefused() throws IOException {
        Path outside = tmp.resolve("decoy");
        new FakeSysfs(outside).function(OUTSIDE_FN).ids(0xdead, 0xbeef).classCode(0x020000).add();
        Path a = archive("sibling.tar.gz", false, (w, raw) -> {
            w.symlink("s", ".");
            // s/s/.../s is the image root itself; the ".." then climb to "/", then down into the decoy.
            w.symlink("sys", "s/".repeat(12) + "../".repeat(12) + outside.toString().substring(1) + "/sys");
        });
        Run r = devices(a);
        assertError(r, "HostImageInvalid");
        assertNothingFromOutside(r);
    }

    // ---------------------------------------------------------------- archives: member types

    /** Hard links, character and block devices and FIFOs have no place in a host image: refused, not skipped. */
    @ParameterizedTest
    @ValueSource(chars = {'1', '3', '4', '6'})
    void specialMembersAreRefusedByName(char type) throws IOException {
        String member = "sys/devices/pci0000:5a/" + IMAGE_FN + "/rom";
        Path a = archive("special-" + type + ".tar.gz", true, (w, raw) ->
                raw.write(header(member, type, type == '1' ? "etc/shadow" : "", 0)));
        Run r = devices(a);
        JsonObject e = assertError(r, "HostImageInvalid");
        assertTrue(e.get("message").getAsString().contains(member), e.toString());
    }

    // ---------------------------------------------------------------- archives: size caps

    /** One member far larger than any sysfs file (32 MiB of zeros, some 32 KiB compressed). */
    @Test
    void oversizedMemberIsHostImageTooLarge() throws IOException {
        long size = 32L << 20;
        Path a = archive("big-member.tar.gz", true, (w, raw) -> {
            raw.write(header("sys/devices/pci0000:5a/" + IMAGE_FN + "/rom", '0', "", size));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 32; i++) {
                raw.write(zeros);
            }
        });
        assertTrue(Files.size(a) < (1 << 20));
        assertError(devices(a), "HostImageTooLarge");
    }

    /**
     * Many members each under the per-file cap that together unpack to far more than the total cap. The gzip
     * stream is one compressed member repeated (gzip allows concatenated members), so building it is cheap.
     */
    @Test
    // Streams more than the 256 MiB cap through gunzip: CPU-bound, so allowed longer on a loaded 2-core box.
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void archiveUnpackingBeyondTheTotalCapIsHostImageTooLarge() throws IOException {
        long size = 15L << 20;
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(one, 1 << 16)) {
            gz.write(header("sys/devices/pci0000:5a/" + IMAGE_FN + "/blob", '0', "", size));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 15; i++) {
                gz.write(zeros);
            }
        }
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(base)) {
            baseMembers(new Tar.Writer(gz, 0));
        }
        Path a = tmp.resolve("big-total.tar.gz");
        try (OutputStream os = Files.newOutputStream(a)) {
            os.write(base.toByteArray());
            for (int m = 0; m < 20; m++) {
                os.write(one.toByteArray());
            }
            os.write(gzip(new byte[1024]));
        }
        assertTrue(Files.size(a) < (4 << 20));
        assertError(devices(a), "HostImageTooLarge");
    }

    /** Header-only members cost nothing on disk but still count: a member-count cap. */
    @Test
    // Streams more than the 256 MiB cap through gunzip: CPU-bound, so allowed longer on a loaded 2-core box.
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tooManyMembersIsHostImageTooLarge() throws IOException {
        Path a = archive("many.tar.gz", true, (w, raw) -> {
            byte[] g = header("pax_global_header", 'g', "", 0);
            for (int i = 0; i < 300_000; i++) {
                raw.write(g);
            }
        });
        assertError(devices(a), "HostImageTooLarge");
    }

    // ---------------------------------------------------------------- archives: truncation

    /** A valid .tar (uncompressed) with several functions; cut at various offsets it must be refused. */
    byte[] validTar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tar.Writer w = new Tar.Writer(bytes, 0);
        baseMembers(w);
        for (int f = 1; f < 4; f++) {
            String fn = "0000:5a:00." + f;
            String dir = "sys/devices/pci0000:5a/" + fn;
            w.directory(dir);
            w.file(dir + "/config", config(0x1af4, 0x1040 + f));
            w.symlink("sys/bus/pci/devices/" + fn, "../../../devices/pci0000:5a/" + fn);
        }
        w.finish();
        return bytes.toByteArray();
    }

    @Test
    void theUntruncatedArchivesAreValid() throws IOException {
        byte[] tar = validTar();
        Path plain = tmp.resolve("ok.tar");
        Files.write(plain, tar);
        Run r = devices(plain);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(4, r.json().getAsJsonArray("result").size());
        Path gz = tmp.resolve("ok.tar.gz");
        Files.write(gz, gzip(tar));
        Run g = devices(gz);
        assertEquals(0, g.exit(), g.out() + g.err());
        assertEquals(4, g.json().getAsJsonArray("result").size());
    }

    /** Cut at block boundaries (a "clean" early end), inside a header and inside member data. */
    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 1536, 2048, 2148, 2560, 3072, 700, 1100, 2700})
    void truncatedTarIsRefused(int cut) throws IOException {
        byte[] tar = validTar();
        assertTrue(cut < tar.length - 1024);
        Path p = tmp.resolve("cut-" + cut + ".tar");
        Files.write(p, Arrays.copyOf(tar, cut));
        assertError(devices(p), "HostImageInvalid");
    }

    /** The tar stream may end exactly before its end-of-archive blocks: still truncated. */
    @ParameterizedTest
    @ValueSource(ints = {1024, 512})
    void tarWithoutItsEndOfArchiveBlocksIsRefused(int missing) throws IOException {
        byte[] tar = validTar();
        Path p = tmp.resolve("noend-" + missing + ".tar.gz");
        Files.write(p, gzip(Arrays.copyOf(tar, tar.length - missing)));
        assertError(devices(p), "HostImageInvalid");
    }

    /** Cuts in a .tar.gz: mid-stream, and in the gzip trailer (CRC and length), which a lazy reader never reads. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 8, 30, 60})
    void truncatedGzipIsRefused(int cutFromEnd) throws IOException {
        byte[] gz = gzip(validTar());
        Path p = tmp.resolve("cut-" + cutFromEnd + ".tar.gz");
        Files.write(p, Arrays.copyOf(gz, gz.length - cutFromEnd));
        assertError(devices(p), "HostImageInvalid");
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    // ---------------------------------------------------------------- directory images

    /** A directory image with one valid function; returns the function's directory. */
    Path directoryImage(Path root) {
        FakeSysfs fs = new FakeSysfs(root);
        fs.function(IMAGE_FN).ids(0x1af4, 0x1041).classCode(0x020000).add();
        return root.resolve(fs.devicePath(IMAGE_FN));
    }

    @Test
    void directoryImageWithARelativeLinkOutOfItselfIsRefused() throws IOException {
        Path root = tmp.resolve("img");
        directoryImage(root);
        Path decoy = tmp.resolve("decoy");
        new FakeSysfs(decoy).function(OUTSIDE_FN).ids(0xdead, 0xbeef).classCode(0x020000).add();
        Path link = root.resolve("sys/bus/pci/devices");
        deleteTree(link);
        Files.createSymbolicLink(link, Path.of("../../../../decoy/sys/bus/pci/devices"));
        Run r = devices(root);
        assertError(r, "HostImageInvalid");
        assertNothingFromOutside(r);
    }

    @Test
    void directoryImageWithAnAbsoluteLinkToTheRealSysIsRefused() throws IOException {
        Path root = tmp.resolve("img");
        directoryImage(root);
        Path link = root.resolve("sys/bus/pci/devices");
        deleteTree(link);
        Files.createSymbolicLink(link, Path.of("/sys/bus/pci/devices"));
        Run r = devices(root);
        assertError(r, "HostImageInvalid");
        assertNothingFromOutside(r);
    }

    /** One function's directory link points (absolutely) at a function of another tree. */
    @Test
    void directoryImageWhoseFunctionLinksOutsideIsRefused() throws IOException {
        Path root = tmp.resolve("img");
        directoryImage(root);
        Path decoy = tmp.resolve("decoy");
        FakeSysfs d = new FakeSysfs(decoy);
        d.function(IMAGE_FN).ids(0xdead, 0xbeef).classCode(0x020000).add();
        Path link = root.resolve("sys/bus/pci/devices/" + IMAGE_FN);
        Files.delete(link);
        Files.createSymbolicLink(link, decoy.resolve(d.devicePath(IMAGE_FN)));
        Run r = devices(root);
        assertError(r, "HostImageInvalid");
        assertFalse(r.out().contains("dead"), r.out());
    }

    @Test
    void configLinkedToDevZeroIsRefused() throws IOException {
        Path fn = directoryImage(tmp.resolve("img"));
        Files.delete(fn.resolve("config"));
        Files.createSymbolicLink(fn.resolve("config"), Path.of("/dev/zero"));
        assertError(devices(tmp.resolve("img")), "HostImageInvalid");
    }

    @Test
    void configThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Path fn = directoryImage(tmp.resolve("img"));
        Files.delete(fn.resolve("config"));
        mkfifo(fn.resolve("config"));
        assertError(devices(tmp.resolve("img")), "HostImageInvalid");
    }

    /** A FIFO where a text attribute is expected (read through the fail-soft string reader). */
    @Test
    void attributeThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Path fn = directoryImage(tmp.resolve("img"));
        Files.deleteIfExists(fn.resolve("resource"));
        mkfifo(fn.resolve("resource"));
        assertError(devices(tmp.resolve("img")), "HostImageInvalid");
    }

    /** A device node inside the image (root can make one): only regular files are read. */
    @Test
    void configThatIsACharacterDeviceIsRefused() throws Exception {
        Path fn = directoryImage(tmp.resolve("img"));
        Files.delete(fn.resolve("config"));
        Process p = new ProcessBuilder("mknod", fn.resolve("config").toString(), "c", "1", "5")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0, "mknod needs root");
        assertError(devices(tmp.resolve("img")), "HostImageInvalid");
    }

    /** A 10 GiB sparse config: config space is at most 4096 bytes, so a bounded read and a normal answer. */
    @Test
    void hugeSparseConfigIsReadBounded() throws IOException {
        Path fn = directoryImage(tmp.resolve("img"));
        try (RandomAccessFile f = new RandomAccessFile(fn.resolve("config").toFile(), "rw")) {
            f.setLength(10L << 30);
        }
        Run r = devices(tmp.resolve("img"));
        assertNoStackTrace(r);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(IMAGE_FN, r.json().getAsJsonArray("result").get(0).getAsJsonObject().get("address")
                .getAsString());
    }

    /** A 10 GiB sparse text attribute: over the read limit, a clear error instead of running out of memory. */
    @Test
    void hugeSparseAttributeIsHostImageTooLarge() throws IOException {
        Path fn = directoryImage(tmp.resolve("img"));
        try (RandomAccessFile f = new RandomAccessFile(fn.resolve("resource").toFile(), "rw")) {
            f.setLength(10L << 30);
        }
        assertError(devices(tmp.resolve("img")), "HostImageTooLarge");
    }

    /** Capturing from a crafted directory image reads as boundedly as everything else. */
    @Test
    void captureOfAnImageWithAHugeSparseFileIsHostImageTooLarge() throws IOException {
        Path fn = directoryImage(tmp.resolve("img"));
        try (RandomAccessFile f = new RandomAccessFile(fn.resolve("resource").toFile(), "rw")) {
            f.setLength(10L << 30);
        }
        Path out = tmp.resolve("out.tar.gz");
        assertError(run("capture", "--root", tmp.resolve("img").toString(), "--output", out.toString(), "--json"),
                "HostImageTooLarge");
    }

    /** The image's own pci.ids is read boundedly too (a 10 GiB sparse one is over the cap, not out of memory). */
    @Test
    void hugeSparsePciIdsIsHostImageTooLarge() throws IOException {
        directoryImage(tmp.resolve("img"));
        Path ids = tmp.resolve("img/usr/share/misc/pci.ids");
        Files.createDirectories(ids.getParent());
        try (RandomAccessFile f = new RandomAccessFile(ids.toFile(), "rw")) {
            f.setLength(10L << 30);
        }
        assertError(devices(tmp.resolve("img")), "HostImageTooLarge");
    }

    /** The --root argument itself may be a FIFO: refused, not opened. */
    @Test
    void rootThatIsAFifoIsRefusedWithoutBlocking() throws Exception {
        Path f = tmp.resolve("image.tar.gz");
        mkfifo(f);
        assertError(devices(f), "HostImageInvalid");
    }

    void mkfifo(Path p) throws Exception {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertTrue(proc.waitFor(5, TimeUnit.SECONDS) && proc.exitValue() == 0, "mkfifo failed");
        fifos.add(p);
    }

    static void deleteTree(Path p) throws IOException {
        HostImages.deleteTree(p);
        assertFalse(Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }
}
