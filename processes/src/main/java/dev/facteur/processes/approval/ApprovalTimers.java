package dev.facteur.processes.approval;

import org.springframework.stereotype.Component;

/** The gates' escalation timer ({@code ${approvalTimers.escalation}}): configuration, not logic. */
@Component("approvalTimers")
public class ApprovalTimers {

    private final ApprovalSettings settings;

    ApprovalTimers(ApprovalSettings settings) {
        this.settings = settings;
    }

    /** Every {@code escalate-after}, at most {@code escalations} times, while the gate is open. */
    public String getEscalation() {
        return "R" + Math.max(1, settings.escalations()) + "/" + settings.escalateAfter();
    }
}
