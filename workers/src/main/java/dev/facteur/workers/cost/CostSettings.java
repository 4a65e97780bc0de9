package dev.facteur.workers.cost;

import java.math.BigDecimal;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code facteur.cost.*}: the rate card that turns a run's usage into cost, what each stage requests,
 * and the budget of an idea.
 *
 * @param currency      label of the amounts
 * @param cpuHour       price of one requested CPU for one hour of wall time
 * @param memoryGibHour price of one requested GiB of memory for one hour
 * @param per1kTokens   price of 1000 tokens the agent reported
 * @param requests      per stage id: CPU and memory the stage's workload requests; stages not listed
 *                      use {@code default-request} (the WorkflowTemplates' 4 CPU / 8 GiB)
 * @param budgetPerIdea an idea whose runs cost more than this is paused for a person to decide (0: no budget)
 */
@ConfigurationProperties("facteur.cost")
public record CostSettings(
        @DefaultValue("USD") String currency,
        @DefaultValue("0.04") BigDecimal cpuHour,
        @DefaultValue("0.005") BigDecimal memoryGibHour,
        @DefaultValue("0.002") BigDecimal per1kTokens,
        @DefaultValue Request defaultRequest,
        Map<String, Request> requests,
        @DefaultValue("50") BigDecimal budgetPerIdea) {

    public CostSettings {
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        for (BigDecimal rate : new BigDecimal[] {cpuHour, memoryGibHour, per1kTokens, budgetPerIdea}) {
            if (rate.signum() < 0) {
                throw new IllegalArgumentException("facteur.cost rates and budget must not be negative: " + rate);
            }
        }
    }

    public Request requestOf(String stageId) {
        return requests.getOrDefault(stageId, defaultRequest);
    }

    /** @param cpu requested cores; @param memoryGib requested memory in GiB */
    public record Request(
            @DefaultValue("4") BigDecimal cpu,
            @DefaultValue("8") BigDecimal memoryGib) {}
}
