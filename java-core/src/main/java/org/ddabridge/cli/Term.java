package org.ddabridge.cli;

import java.util.Map;

/**
 * How text output looks on this run: the width tables fit into, colour, and how much is said.
 *
 * <p>Width: {@code COLUMNS} when it is set to a number (a TTY or not, so a script can ask for a width); else the
 * terminal's width when standard output is a terminal (the launcher passes it as {@code DDABRIDGE_TTY_COLUMNS},
 * since a JVM cannot ask the terminal); else no limit, so a pipe into grep or awk gets one line per row (scripts
 * should use {@code --json}). Colour: only on a terminal, never with {@code --no-color}, a non-empty
 * {@code NO_COLOR} (no-color.org) or {@code TERM=dumb}.
 *
 * @param width   columns a line may take, or 0 for no limit
 * @param color   ANSI colour on
 * @param quiet   only the results: no progress, legends or hints
 * @param verbose every reason (info ones too) with its evidence
 */
record Term(int width, boolean color, boolean quiet, boolean verbose) {
    /** Narrowest width honoured: below it tables are unreadable whatever we do. */
    static final int MIN_WIDTH = 40;

    static final Term PLAIN = new Term(0, false, false, false);

    /** The settings from the environment and the display options. */
    static Term of(Map<String, String> env, boolean stdoutIsTty, boolean noColor, boolean quiet, boolean verbose) {
        int width = number(env.get("COLUMNS"));
        if (width <= 0 && stdoutIsTty) {
            width = number(env.get("DDABRIDGE_TTY_COLUMNS"));
            if (width <= 0) {
                width = 80;
            }
        }
        if (width > 0) {
            width = Math.max(width, MIN_WIDTH);
        }
        String nc = env.get("NO_COLOR");
        boolean color = stdoutIsTty && !noColor && (nc == null || nc.isEmpty()) && !"dumb".equals(env.get("TERM"));
        return new Term(width, color, quiet, verbose && !quiet);
    }

    /** Whether standard output is a terminal: the launcher says so (the JVM's console needs stdin too). */
    static boolean stdoutIsTty(Map<String, String> env) {
        return "1".equals(env.get("DDABRIDGE_TTY")) || System.console() != null;
    }

    private static int number(String s) {
        if (s == null || !s.trim().matches("\\d{1,5}")) {
            return 0;
        }
        return Integer.parseInt(s.trim());
    }

    /** Colours by meaning, so every renderer uses the same for the same word. */
    enum Style {
        GOOD("32"), WARN("33"), BAD("31"), DIM("2"), BOLD("1");

        final String sgr;

        Style(String sgr) {
            this.sgr = sgr;
        }
    }

    String paint(Style style, String text) {
        return color && style != null && !text.isEmpty() ? "\u001b[" + style.sgr + "m" + text + "\u001b[0m" : text;
    }

    /** The style of a verdict or check word (yes/no/warnings, pass/warn/fail, Assignable, …), or null. */
    static Style styleOf(String word) {
        return switch (word) {
            case "yes", "pass", "Assignable", "VFIO-viable" -> Style.GOOD;
            case "warn", "AssignableWithWarnings", "unknown" -> Style.WARN;
            case "no", "fail", "NotAssignable", "refused" -> Style.BAD;
            default -> null;
        };
    }
}
