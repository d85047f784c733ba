package org.ddabridge.report;

/** Escaping for text and attribute values (the report embeds names and messages from surveys of other machines). */
final class Html {
    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }

    /** An element id for a function of host number {@code host} ({@code fn-0-0000-01-00-0}). */
    static String fnId(int host, String address) {
        return "fn-" + host + "-" + address.replaceAll("[^0-9A-Za-z]", "-");
    }

    /** The CSS class of a verdict ({@code v-Assignable}); anything unexpected is {@code v-Unknown}. */
    static String verdictClass(String verdict) {
        return switch (verdict) {
            case "Assignable", "AssignableWithWarnings", "NotAssignable" -> "v-" + verdict;
            default -> "v-Unknown";
        };
    }

    static String verdictLabel(String verdict) {
        return switch (verdict) {
            case "Assignable" -> "Assignable";
            case "AssignableWithWarnings" -> "Assignable with warnings";
            case "NotAssignable" -> "Not assignable";
            default -> "Unknown";
        };
    }

    /** Cuts a label for the drawing (the full text stays in the tooltip and the details). */
    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }
}
