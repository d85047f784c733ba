package org.ddabridge.assign.linux;

import java.util.Map;

import org.ddabridge.api.EngineException;
import org.ddabridge.util.MutationGuard;

/**
 * What a what-if says about the real run: the first refusal that run would meet, in the order it meets them
 * (the live-mutation guard before any planning, then the plan's guards), so a plan is never shown as if it
 * would run when it would not. The plan keeps {@code wouldRefuse} (the guard's code) and gains
 * {@code wouldRefuseMessage} (the real run's error message); the CLI exits with the refusal's code.
 */
final class WhatIf {
    private WhatIf() {
    }

    /** The live-mutation guard's refusal for this request's root, or null when the real run may write. */
    static EngineException liveGuard(RequestContext ctx) {
        try {
            MutationGuard.checkRoot(ctx.root());
            return null;
        } catch (EngineException e) {
            return e;
        }
    }

    /** Records {@code refusal} (null: the real run would go ahead) in a what-if plan. */
    static void record(Map<String, Object> plan, EngineException refusal) {
        if (refusal == null) {
            plan.putIfAbsent("wouldRefuse", null);
            return;
        }
        String code = refusal.details() instanceof Map<?, ?> d && d.get("reason") != null
                ? d.get("reason").toString() : refusal.id().name();
        plan.put("wouldRefuse", code);
        plan.put("wouldRefuseMessage", refusal.getMessage());
    }
}
