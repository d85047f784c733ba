package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * {@code repair}'s way back from a damaged journal. Sources, best first:
 * <ol>
 *   <li>the second copy ({@value Journal#MIRROR}), written by every save, when it passes the checksum and
 *       schema: then nothing is lost;</li>
 *   <li>otherwise what can be salvaged from the kept copies: every complete flat JSON object (pool entries,
 *       device states) that passes the schema, and the operation's id, kind and status. A truncated file
 *       keeps everything before the cut;</li>
 *   <li>and always the tree's actual state: a function on vfio-pci (or with driver_override vfio-pci) the
 *       rebuilt pool does not know is added to it, with its original driver when a source names one, and
 *       listed under {@code unknown} when none does (it stays held; mount then gives it the kernel's
 *       choice).</li>
 * </ol>
 */
final class JournalRecovery {
    private static final String VFIO = StepRunner.VFIO_PCI;
    private static final Pattern FLAT_OBJECT = Pattern.compile("\\{[^{}\\[\\]]*\\}");
    private static final Pattern OP_FIELD = Pattern.compile("\"(id|kind|status)\"\\s*:\\s*\"([A-Za-z0-9_-]{1,64})\"");

    private JournalRecovery() {
    }

    /** A rebuilt state and where it came from. */
    record Recovered(Journal.State state, List<Path> kept, String source, List<String> salvaged) {
    }

    /**
     * Null when the journal is sound (nothing moved aside, {@code state.json} passes); else the rebuilt state.
     * A damaged {@code state.json} is moved aside first, so it is among {@link Recovered#kept}.
     */
    static Recovered recover(Journal journal) {
        List<Path> kept = new ArrayList<>(journal.keptCopies());
        Path f = journal.file();
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                JournalCodec.decode(Journal.readBounded(f));
            } catch (JournalCodec.Corrupt | IOException e) {
                kept.add(journal.moveAside());
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        Path mirror = journal.dir().resolve(Journal.MIRROR);
        try {
            if (Files.exists(mirror, LinkOption.NOFOLLOW_LINKS)) {
                return new Recovered(JournalCodec.decode(Journal.readBounded(mirror)), kept, mirror.toString(),
                        List.of("everything (the second copy is intact)"));
            }
        } catch (JournalCodec.Corrupt | IOException e) {
            // damaged too: salvage from the kept copies below
        }
        Journal.State s = new Journal.State();
        List<String> salvaged = new ArrayList<>();
        for (int i = kept.size() - 1; i >= 0; i--) {
            salvage(kept.get(i), s, salvaged);
        }
        return new Recovered(s, kept, "salvaged from " + kept, salvaged);
    }

    /** Adds what {@code file} still holds to {@code s} (entries already known win: newer files go first). */
    private static void salvage(Path file, Journal.State s, List<String> salvaged) {
        String text;
        try {
            text = new String(Journal.readBounded(file), StandardCharsets.UTF_8);
        } catch (IOException | JournalCodec.Corrupt e) {
            return;
        }
        Map<String, String> op = new LinkedHashMap<>();
        Matcher of = OP_FIELD.matcher(text);
        while (of.find()) {
            op.putIfAbsent(of.group(1), of.group(2));
        }
        List<Journal.DeviceState> devices = new ArrayList<>();
        Matcher m = FLAT_OBJECT.matcher(text);
        while (m.find()) {
            JsonObject o = parse(m.group());
            if (o == null || !o.has("address")) {
                continue;
            }
            try {
                if (o.has("originalDriver")) {
                    Journal.PoolEntry pe = org.ddabridge.util.Json.compact().fromJson(o, Journal.PoolEntry.class);
                    if (JournalCodec.isAddress(pe.address) && JournalCodec.isDriver(pe.originalDriver)
                            && JournalCodec.isDriver(pe.originalOverride) && !s.pool.containsKey(pe.address)) {
                        s.pool.put(pe.address, pe);
                        salvaged.add("pool entry " + pe.address + " (original driver " + pe.originalDriver + ")");
                    }
                } else if (o.has("beforeDriver")) {
                    Journal.DeviceState d = org.ddabridge.util.Json.compact().fromJson(o, Journal.DeviceState.class);
                    if (JournalCodec.isAddress(d.address) && JournalCodec.isDriver(d.beforeDriver)
                            && JournalCodec.isDriver(d.beforeOverride) && JournalCodec.isDriver(d.afterDriver)
                            && JournalCodec.isDriver(d.afterOverride)) {
                        devices.add(d);
                        salvaged.add("device state " + d.address + " (driver before: " + d.beforeDriver + ")");
                    }
                }
            } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
                // a salvaged object with a wrong type is skipped like any other damage
            }
        }
        if (s.operation == null && op.containsKey("id") && op.containsKey("kind") && op.containsKey("status")) {
            Journal.Operation o = new Journal.Operation();
            o.id = op.get("id");
            o.kind = op.get("kind");
            o.status = op.get("status");
            o.devices = devices;
            try {
                Journal.State probe = new Journal.State();
                probe.operation = o;
                JournalCodec.validate(probe);
                s.operation = o;
                salvaged.add("operation " + o.id + " (" + o.kind + ", " + o.status + ", " + devices.size()
                        + " device states)");
            } catch (JournalCodec.Corrupt e) {
                // an operation that does not pass the schema is not acted on
            }
        }
    }

    private static JsonObject parse(String s) {
        try {
            JsonElement e = JsonParser.parseString(s);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    /**
     * Adds every function the tree shows held (driver or driver_override vfio-pci) that the pool lacks; the
     * original driver comes from the device states of the recovered operation when they name one.
     * Returns what could not be restored.
     */
    static List<String> reconcile(DriverCore core, List<String> addresses, Journal.State s) {
        Map<String, String> before = new LinkedHashMap<>();
        if (s.operation != null) {
            for (Journal.DeviceState d : s.operation.devices) {
                if (d.beforeDriver != null && !VFIO.equals(d.beforeDriver)) {
                    before.putIfAbsent(d.address, d.beforeDriver);
                }
            }
        }
        List<String> unknown = new ArrayList<>();
        String now = Instant.now().toString();
        for (String a : addresses) {
            boolean held = VFIO.equals(core.driver(a)) || VFIO.equals(core.driverOverride(a));
            Journal.PoolEntry pe = s.pool.get(a);
            if (held && pe == null) {
                pe = new Journal.PoolEntry();
                pe.address = a;
                pe.originalDriver = before.get(a);
                pe.since = now;
                pe.operation = "recovered";
                s.pool.put(a, pe);
            }
            if (held && pe.originalDriver == null) {
                unknown.add(a + ": held on vfio-pci, original driver unknown (no intact record names it); "
                        + "'mount' will give it the kernel's choice of driver");
            }
        }
        return unknown;
    }
}
