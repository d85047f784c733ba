package org.ddabridge.platform.spi;

import org.ddabridge.model.windows.WindowsHost;

/** What a backend's host-wide facts are: typed dispatch instead of downcasting backends. */
public interface HostFactsVisitor<R> {
    /** Linux hosts, host images and lspci dumps: config spaces, topology and kernel facts. */
    R pciHost(PciHostFacts facts);

    /** Windows hosts: the DEVPKEY properties and Hyper-V's word. */
    R windowsHost(WindowsHost host);
}
