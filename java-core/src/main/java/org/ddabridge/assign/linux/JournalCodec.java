package org.ddabridge.assign.linux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ddabridge.model.PciAddress;
import org.ddabridge.util.Json;

/**
 * The journal's bytes: JSON with a SHA-256 {@code checksum} of its own content, and the schema every loaded
 * state must pass. A state that fails either is corrupt ({@link Corrupt}), never "empty": an empty journal
 * would forget which drivers the held functions came from.
 *
 * <p>The schema check is what makes journal content safe to act on: every address is a PCI address in the
 * canonical {@code 0000:01:00.0} form and every driver name a plain name, because paths are derived from
 * them ({@code bus/pci/devices/<address>}, {@code drivers/<driver>/bind}); nothing read from the journal is
 * used as a path.
 */
final class JournalCodec {
    static final String CHECKSUM = "checksum";
    /** A kernel driver name: no slash, no dot-only names, no NUL, at most 64 characters. */
    private static final Pattern DRIVER = Pattern.compile("[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Set<String> STATUSES = Set.of("running", "done", "rolledBack", "rollbackFailed", "repaired");
    private static final Set<String> STEP_STATES = Set.of("pending", "done", "failed", "undone");
    private static final int MAX_TEXT = 4096;

    private JournalCodec() {
    }

    /** Why a journal cannot be used. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    /** The file content of {@code state}: pretty JSON carrying the checksum of its compact form. */
    static byte[] encode(Journal.State state) {
        JsonObject tree = Json.compact().toJsonTree(state).getAsJsonObject();
        tree.remove(CHECKSUM);
        tree.addProperty(CHECKSUM, sha256(Json.compact().toJson(tree)));
        return Json.pretty().toJson(tree).getBytes(StandardCharsets.UTF_8);
    }

    /** The state in {@code data}, checked (checksum when present, then the schema). */
    static Journal.State decode(byte[] data) throws Corrupt {
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(data, StandardCharsets.UTF_8));
        } catch (JsonParseException | StackOverflowError x) {
            throw new Corrupt("not valid JSON (" + firstLine(x.getMessage()) + ")");
        }
        if (!e.isJsonObject()) {
            throw new Corrupt("not a JSON object");
        }
        JsonObject tree = e.getAsJsonObject();
        JsonElement sum = tree.remove(CHECKSUM);
        // Files written before the checksum existed have none; they still pass the schema check below.
        if (sum != null) {
            String want = sum.isJsonPrimitive() ? sum.getAsString() : "";
            if (!want.equals(sha256(Json.compact().toJson(tree)))) {
                throw new Corrupt("checksum mismatch (the file was changed or damaged after it was written)");
            }
        }
        structure(tree);
        Journal.State s;
        try {
            s = Json.compact().fromJson(tree, Journal.State.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException | UnsupportedOperationException x) {
            throw new Corrupt("a field has the wrong type (" + firstLine(x.getMessage()) + ")");
        }
        validate(s);
        return s;
    }

    /**
     * The JSON shapes Gson would otherwise bend: it reads {@code []} as an empty map and would so turn a
     * damaged pool into "nothing held".
     */
    private static void structure(JsonObject tree) throws Corrupt {
        JsonElement pool = tree.get("pool");
        if (pool == null || !pool.isJsonObject()) {
            throw new Corrupt("'pool' is not an object");
        }
        for (Map.Entry<String, JsonElement> e : pool.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonObject()) {
                throw new Corrupt("pool entry " + clip(e.getKey()) + " is not an object");
            }
        }
        JsonElement op = tree.get("operation");
        if (op == null || op.isJsonNull()) {
            return;
        }
        if (!op.isJsonObject()) {
            throw new Corrupt("'operation' is not an object");
        }
        for (String list : new String[] {"devices", "steps"}) {
            JsonElement l = op.getAsJsonObject().get(list);
            if (l == null || !l.isJsonArray()) {
                throw new Corrupt("operation '" + list + "' is not a list");
            }
            for (JsonElement item : l.getAsJsonArray()) {
                if (!item.isJsonObject()) {
                    throw new Corrupt("an entry of operation '" + list + "' is not an object");
                }
            }
        }
    }

    /** The schema: see the class comment. */
    static void validate(Journal.State s) throws Corrupt {
        if (s == null) {
            throw new Corrupt("empty");
        }
        if (s.version != 1) {
            throw new Corrupt("unknown version " + s.version);
        }
        if (s.pool == null) {
            throw new Corrupt("no pool");
        }
        for (Map.Entry<String, Journal.PoolEntry> en : s.pool.entrySet()) {
            address("pool key", en.getKey());
            Journal.PoolEntry pe = en.getValue();
            if (pe == null || !en.getKey().equals(pe.address)) {
                throw new Corrupt("pool entry " + en.getKey() + " does not name its own address");
            }
            driver("originalDriver of " + pe.address, pe.originalDriver);
            driver("originalOverride of " + pe.address, pe.originalOverride);
            group(pe.group);
            text(pe.since);
            text(pe.operation);
        }
        Journal.Operation op = s.operation;
        if (op == null) {
            return;
        }
        if (op.id == null || !Pattern.matches("[A-Za-z0-9_-]{1,64}", op.id)) {
            throw new Corrupt("operation id '" + op.id + "' is malformed");
        }
        token("operation kind", op.kind);
        if (!STATUSES.contains(op.status)) {
            throw new Corrupt("operation status '" + op.status + "' is unknown");
        }
        if (op.devices == null || op.steps == null) {
            throw new Corrupt("operation " + op.id + " has no devices or steps list");
        }
        for (Journal.DeviceState d : op.devices) {
            if (d == null) {
                throw new Corrupt("a device state is null");
            }
            address("device", d.address);
            driver("beforeDriver", d.beforeDriver);
            driver("beforeOverride", d.beforeOverride);
            driver("afterDriver", d.afterDriver);
            driver("afterOverride", d.afterOverride);
            group(d.group);
        }
        for (Journal.Step st : op.steps) {
            if (st == null) {
                throw new Corrupt("a step is null");
            }
            token("step action", st.action);
            if (st.address == null || !st.address.isEmpty()) {
                address("step address", st.address);
            }
            if (!STEP_STATES.contains(st.state)) {
                throw new Corrupt("step " + st.index + " state '" + st.state + "' is unknown");
            }
            text(st.value);
            text(st.error);
        }
        text(op.failure);
    }

    /** True for a canonical PCI address ({@code 0000:01:00.0}, lower-case). */
    static boolean isAddress(String a) {
        return a != null && PciAddress.parse(a).map(p -> p.toString().equals(a)).orElse(false);
    }

    /** True for null, "" or a plain driver name. */
    static boolean isDriver(String d) {
        return d == null || d.isEmpty() || DRIVER.matcher(d).matches() && !d.matches("\\.+");
    }

    private static void address(String what, String a) throws Corrupt {
        if (!isAddress(a)) {
            throw new Corrupt(what + " '" + clip(a) + "' is not a PCI address");
        }
    }

    private static void driver(String what, String d) throws Corrupt {
        if (!isDriver(d)) {
            throw new Corrupt(what + " '" + clip(d) + "' is not a driver name");
        }
    }

    private static void token(String what, String t) throws Corrupt {
        if (t == null || !TOKEN.matcher(t).matches()) {
            throw new Corrupt(what + " '" + clip(t) + "' is malformed");
        }
    }

    private static void group(Integer g) throws Corrupt {
        if (g != null && g < 0) {
            throw new Corrupt("IOMMU group " + g + " is negative");
        }
    }

    private static void text(String t) throws Corrupt {
        if (t != null && (t.length() > MAX_TEXT || t.indexOf('\0') >= 0)) {
            throw new Corrupt("a text field is too long or holds a NUL");
        }
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String c = s.replaceAll("[\\p{Cntrl}]", "?");
        return c.length() > 80 ? c.substring(0, 80) + "…" : c;
    }

    private static String firstLine(String m) {
        return m == null ? "no detail" : clip(m.lines().findFirst().orElse(m));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
