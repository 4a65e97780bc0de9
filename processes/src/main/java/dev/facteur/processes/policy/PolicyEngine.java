package dev.facteur.processes.policy;

/**
 * Decides, at each {@link Checkpoint}, what the configured rules say about an idea. Implementations
 * are pure with respect to the idea (no side effects): the caller stores and audits the decisions.
 * The shipped implementation is {@link YamlPolicyEngine} (declarative rules in a YAML file).
 */
public interface PolicyEngine {

    /** Every applicable rule's decision at this checkpoint; rules that do not apply leave no decision. */
    PolicyEvaluation evaluate(Checkpoint checkpoint, PolicyInput input);

    /** Which rules are in force and whether the last load of the source failed. */
    PolicyStatus status();
}
