package org.ddabridge.vm;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.ddabridge.model.PciAddress;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * libvirt domain XML: the {@code <hostdev>} element for a host PCI function, and what a domain document says
 * about host devices and the 64-bit PCI hole.
 *
 * <p>The element is always {@code mode='subsystem' type='pci' managed='no'}: with {@code managed='no'} libvirt
 * never unbinds or rebinds host drivers; the engine has already put the group on vfio-pci.
 * Parsing uses the JDK's DOM parser with DOCTYPEs refused and external entities off (domain XML has neither).
 */
public final class HostdevXml {
    private HostdevXml() {
    }

    /**
     * A {@code <hostdev>} of a domain.
     *
     * @param mode         {@code subsystem}
     * @param type         {@code pci}
     * @param managed      the {@code managed} attribute ({@code yes}: libvirt rebinds drivers itself)
     * @param source       host function (null when the source has no PCI address)
     * @param alias        libvirt's device alias ({@code hostdev0}) in live XML, else empty
     * @param guestAddress where the guest sees it (null when libvirt has not assigned one)
     */
    public record Hostdev(String mode, String type, boolean managed, PciAddress source, String alias, PciAddress guestAddress) {
    }

    /**
     * What the engine reads from a domain document.
     *
     * @param name            domain name
     * @param uuid            domain UUID (empty when absent)
     * @param machine         {@code <os><type machine=...>} ({@code pc-q35-7.2}), empty when absent
     * @param hostdevs        PCI host devices
     * @param pciRootModel    model of the root PCI controller: {@code pcie-root} (q35), {@code pci-root} (i440fx), or empty
     * @param pcihole64Kib    the root controller's {@code <pcihole64>} in KiB, when set
     */
    public record DomainInfo(String name, String uuid, String machine, List<Hostdev> hostdevs, String pciRootModel,
                             OptionalLong pcihole64Kib) {
        public DomainInfo {
            hostdevs = List.copyOf(hostdevs);
        }

        /** The domain can take {@code <pcihole64>}: it has a {@code pci-root} or {@code pcie-root} controller. */
        public boolean canTakePcihole64() {
            return pciRootModel.equals("pcie-root") || pciRootModel.equals("pci-root");
        }

        /** The hostdev whose source is this host function, if any. */
        public java.util.Optional<Hostdev> hostdev(PciAddress host) {
            return hostdevs.stream().filter(h -> host.equals(h.source())).findFirst();
        }
    }

    /** The {@code <hostdev>} element to attach or detach this host function (one line, no XML declaration). */
    public static String hostdev(PciAddress host) {
        return String.format(Locale.ROOT,
                "<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x%04x' bus='0x%02x'"
                        + " slot='0x%02x' function='0x%x'/></source></hostdev>",
                host.domain(), host.bus(), host.device(), host.function());
    }

    /** Parses a whole domain document ({@code virDomainGetXMLDesc}). */
    public static DomainInfo parseDomain(String xml) {
        Element root = parse(xml).getDocumentElement();
        if (!"domain".equals(root.getTagName())) {
            throw new VmException(VmErrorId.XmlInvalid, "not a libvirt domain document (root element <" + root.getTagName() + ">)");
        }
        String name = text(child(root, "name"));
        String uuid = text(child(root, "uuid"));
        Element os = child(root, "os");
        String machine = os == null || child(os, "type") == null ? "" : child(os, "type").getAttribute("machine");
        List<Hostdev> hostdevs = new ArrayList<>();
        String rootModel = "";
        OptionalLong hole = OptionalLong.empty();
        Element devices = child(root, "devices");
        if (devices != null) {
            for (Element hd : children(devices, "hostdev")) {
                Hostdev h = hostdevOf(hd);
                if (h != null) {
                    hostdevs.add(h);
                }
            }
            for (Element c : children(devices, "controller")) {
                String model = c.getAttribute("model");
                if ("pci".equals(c.getAttribute("type")) && (model.equals("pcie-root") || model.equals("pci-root"))) {
                    rootModel = model;
                    Element h = child(c, "pcihole64");
                    if (h != null) {
                        hole = OptionalLong.of(toKib(text(h), h.getAttribute("unit")));
                    }
                }
            }
        }
        return new DomainInfo(name, uuid, machine == null ? "" : machine, hostdevs, rootModel, hole);
    }

    /** Parses one {@code <hostdev>} element (e.g. what {@link #hostdev} builds). */
    public static Hostdev parseHostdev(String xml) {
        Element root = parse(xml).getDocumentElement();
        Hostdev h = "hostdev".equals(root.getTagName()) ? hostdevOf(root) : null;
        if (h == null) {
            throw new VmException(VmErrorId.XmlInvalid, "not a PCI <hostdev> element");
        }
        return h;
    }

    /**
     * The domain document with the root PCI controller's {@code <pcihole64 unit='KiB'>} set to {@code kib}
     * (for {@code virDomainDefineXML}; it takes effect at the next start); a negative {@code kib} removes the element
     * (QEMU's default applies again). {@code XmlInvalid} when the domain has no {@code pci-root}/{@code pcie-root}
     * controller.
     */
    public static String withPcihole64(String domainXml, long kib) {
        Document doc = parse(domainXml);
        Element devices = child(doc.getDocumentElement(), "devices");
        Element ctrl = null;
        if (devices != null) {
            for (Element c : children(devices, "controller")) {
                String model = c.getAttribute("model");
                if ("pci".equals(c.getAttribute("type")) && (model.equals("pcie-root") || model.equals("pci-root"))) {
                    ctrl = c;
                    break;
                }
            }
        }
        if (ctrl == null) {
            throw new VmException(VmErrorId.XmlInvalid,
                    "the domain has no pci-root or pcie-root controller to carry <pcihole64>");
        }
        Element hole = child(ctrl, "pcihole64");
        if (kib < 0) {
            if (hole != null) {
                ctrl.removeChild(hole);
            }
            return serialize(doc);
        }
        if (hole == null) {
            hole = doc.createElement("pcihole64");
            ctrl.appendChild(hole);
        }
        hole.setAttribute("unit", "KiB");
        hole.setTextContent(Long.toString(kib));
        return serialize(doc);
    }

    // ---- DOM --------------------------------------------------------------------------------------------

    private static Hostdev hostdevOf(Element hd) {
        if (!"pci".equals(hd.getAttribute("type"))) {
            return null;
        }
        Element source = child(hd, "source");
        PciAddress src = source == null ? null : addressOf(child(source, "address"));
        Element aliasEl = child(hd, "alias");
        String alias = aliasEl == null ? "" : aliasEl.getAttribute("name");
        PciAddress guest = addressOf(child(hd, "address"));
        return new Hostdev(hd.getAttribute("mode"), hd.getAttribute("type"), "yes".equals(hd.getAttribute("managed")),
                src, alias, guest);
    }

    private static PciAddress addressOf(Element a) {
        if (a == null) {
            return null;
        }
        String type = a.getAttribute("type");
        if (!type.isEmpty() && !type.equals("pci")) {
            return null;
        }
        try {
            return new PciAddress(num(a.getAttribute("domain")), num(a.getAttribute("bus")), num(a.getAttribute("slot")),
                    num(a.getAttribute("function")));
        } catch (IllegalArgumentException e) {
            throw new VmException(VmErrorId.XmlInvalid, "bad PCI <address> in domain XML: " + e.getMessage(), null, e);
        }
    }

    /** libvirt writes 0x-prefixed hex; plain decimal is accepted too; an absent attribute is 0. */
    private static int num(String s) {
        String t = s == null ? "" : s.trim();
        if (t.isEmpty()) {
            return 0;
        }
        return t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
    }

    private static long toKib(String value, String unit) {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new VmException(VmErrorId.XmlInvalid, "bad <pcihole64> value '" + value + "'", null, e);
        }
        return switch (unit == null || unit.isEmpty() ? "kib" : unit.toLowerCase(Locale.ROOT)) {
            case "b", "bytes" -> v / 1024;
            case "k", "kib" -> v;
            case "kb" -> v * 1000 / 1024;
            case "m", "mib" -> v * 1024;
            case "g", "gib" -> v * 1024 * 1024;
            case "t", "tib" -> v * 1024 * 1024 * 1024;
            default -> throw new VmException(VmErrorId.XmlInvalid, "unknown <pcihole64> unit '" + unit + "'");
        };
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml == null ? "" : xml)));
        } catch (ParserConfigurationException e) {
            throw new VmException(VmErrorId.XmlInvalid, "XML parser unavailable: " + e.getMessage(), null, e);
        } catch (SAXException | IOException e) {
            throw new VmException(VmErrorId.XmlInvalid, "cannot parse XML: " + e.getMessage(), null, e);
        }
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (TransformerException e) {
            throw new VmException(VmErrorId.XmlInvalid, "cannot write XML: " + e.getMessage(), null, e);
        }
    }

    private static Element child(Element parent, String tag) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent().trim();
    }
}
