package org.ddabridge.vm;

/**
 * One entry of {@code qom-list}: a property name and its type, e.g. {@code rp1} / {@code child<pcie-root-port>}
 * or {@code child[0]} / {@code link<vfio-pci>}.
 */
public record QomProperty(String name, String type) {
    /** The type inside {@code child<...>}, or null when this is not a child property. */
    public String childType() {
        return inner("child<");
    }

    /** The type inside {@code link<...>}, or null when this is not a link property. */
    public String linkType() {
        return inner("link<");
    }

    private String inner(String prefix) {
        return type != null && type.startsWith(prefix) && type.endsWith(">")
                ? type.substring(prefix.length(), type.length() - 1) : null;
    }
}
