package org.ddabridge.engine;

import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.MmioPlan;
import org.ddabridge.survey.Survey;

/**
 * {@code mmio}: the survey's {@link MmioPlan} for the named devices. Arguments: {@code root},
 * {@code address}/{@code locationPath}/{@code instanceId} (at least one).
 */
final class MmioCommand {
    private MmioCommand() {
    }

    static Object run(Args args, Progress progress) {
        args.allow(Set.of("root", "address", "locationPath", "instanceId", "class"));
        DeviceSelector selector = DeviceSelector.from(args);
        if (!selector.namesDevices() && args.string("class") == null) {
            throw new EngineException(ErrorId.InvalidArgument,
                    "'mmio' needs the devices that will share one VM (address, locationPath, instanceId or class).",
                    "mmio");
        }
        return MmioPlan.of(Survey.ofHost(Engine.backend(args), selector::select));
    }
}
