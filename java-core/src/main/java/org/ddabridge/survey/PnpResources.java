package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.check.DeviceFacts.Interrupts;
import org.ddabridge.check.DeviceFacts.Signal;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Target;
import org.ddabridge.model.Bar;
import org.ddabridge.model.windows.MemoryRange;

/**
 * What Windows lists as a function's allocated resources (WMI Win32_PnPAllocatedResource, whose antecedents
 * are Win32_IRQResource and Win32_DeviceMemoryAddress), built from the same interrupt and memory facts the
 * checker judged, so a script reading them reaches the checker's conclusion.
 *
 * <p>Windows numbers message-signalled interrupts from 0xFFFFFFFE downwards, one number per vector, across
 * the whole machine (the numbers Microsoft's survey recognises by their leading "42949"); a line-based
 * interrupt is its line number. Here the vectors are numbered in address order. A disabled function has no
 * resources (Windows releases them); a bridge's interrupts are not listed (the checker does not judge them),
 * its memory BARs are.
 *
 * @param irqs   IRQ numbers, Windows style
 * @param memory memory ranges (inclusive bounds), one per assigned memory BAR
 */
public record PnpResources(List<Long> irqs, List<MemoryRange> memory) {
    /** The first number Windows gives a message-signalled interrupt; later vectors count down from it. */
    public static final long FIRST_MESSAGE_IRQ = 0xFFFF_FFFEL;
    /** The line number listed when the OS did not say which line it routed (no {@code irq} file). */
    static final long UNKNOWN_LINE = 0;

    public PnpResources {
        irqs = List.copyOf(irqs);
        memory = List.copyOf(memory);
    }

    static PnpResources none() {
        return new PnpResources(List.of(), List.of());
    }

    /** Every function's resources (address -> resources), numbered over {@code reports} in their order. */
    static Map<String, PnpResources> of(List<DeviceReport> reports) {
        Map<String, PnpResources> out = new LinkedHashMap<>();
        long next = FIRST_MESSAGE_IRQ;
        for (DeviceReport r : reports) {
            if (r.disabled() != null && r.disabled().appliesTo(Target.HYPERV)) {
                out.put(r.device().address(), none());
                continue;
            }
            List<Long> irqs = new ArrayList<>();
            Interrupts i = r.interrupts();
            if (i != null && i.signal() == Signal.MESSAGE) {
                for (int v = 0; v < Math.max(1, i.messages()); v++) {
                    irqs.add(next--);
                }
            } else if (i != null && i.signal() == Signal.LINE_ONLY) {
                irqs.add(i.line() == null ? UNKNOWN_LINE : i.line().longValue());
            }
            List<MemoryRange> memory = new ArrayList<>();
            for (Bar b : r.device().bars() == null ? List.<Bar>of() : r.device().bars()) {
                if (b.isMemory() && b.start() != 0 && b.size() > 0) {
                    memory.add(new MemoryRange(b.start(), b.start() + b.size() - 1));
                }
            }
            out.put(r.device().address(), new PnpResources(irqs, memory));
        }
        return out;
    }
}
