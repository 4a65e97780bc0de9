package dev.facteur.processes.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.scheduling.support.CronExpression;

/** One rule of a policy file, parsed and validated. Each kind decides on its own inputs. */
sealed interface Rule {

    String id();

    String kind();

    String description();

    Set<Checkpoint> checkpoints();

    Scope when();

    /** The decision at this checkpoint; only called when the rule applies there and its scope matches. */
    RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now);

    /** A rule's {@code when}: every named field must have a value matching one of its globs. */
    record Scope(Map<String, List<String>> globs) {

        static final Scope ALWAYS = new Scope(Map.of());

        boolean matches(PolicyInput input) {
            Map<String, List<String>> values = input.fields();
            return globs.entrySet().stream()
                    .allMatch(entry -> values.getOrDefault(entry.getKey(), List.of()).stream()
                            .anyMatch(value -> entry.getValue().stream().anyMatch(glob -> glob(glob, value))));
        }

        private static boolean glob(String glob, String value) {
            StringBuilder regex = new StringBuilder();
            for (String part : glob.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(part));
            }
            return Pattern.matches(regex.toString(), value);
        }
    }

    record ApprovalLabels(String id, String description, Set<Checkpoint> checkpoints, Scope when, List<String> labels)
            implements Rule {
        static final String KIND = "approval-labels";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now) {
            List<String> matched =
                    input.labels().stream().filter(labels::contains).toList();
            Map<String, Object> inputs = Map.of("labels", input.labels(), "requireApprovalFor", labels);
            return matched.isEmpty()
                    ? RuleDecision.of(id, KIND, Outcome.ALLOW, "no label requiring approval " + labels, inputs)
                    : RuleDecision.of(
                            id,
                            KIND,
                            Outcome.REQUIRE_APPROVAL,
                            "label(s) " + matched + " require a human approval at " + checkpoint.id(),
                            inputs);
        }
    }

    record RequiredTests(
            String id,
            String description,
            Set<Checkpoint> checkpoints,
            Scope when,
            String directory,
            List<String> commands,
            Outcome whenUnknown)
            implements Rule {
        static final String KIND = "required-tests";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("directory", directory);
            inputs.put("commands", commands);
            if (checkpoint == Checkpoint.SCHEDULING) {
                List<String> tasks = input.planTasks().stream()
                        .filter(task -> task.directories().stream().anyMatch(this::overlaps))
                        .map(PolicyInput.PlannedTask::id)
                        .toList();
                inputs.put("tasks", tasks);
                if (tasks.isEmpty()) {
                    return RuleDecision.of(
                            id,
                            KIND,
                            Outcome.ALLOW,
                            "no planned task names " + directory + "/; " + commands
                                    + " become required if the change touches it",
                            inputs);
                }
                inputs.put("requiredCommands", commands);
                return RuleDecision.of(
                        id,
                        KIND,
                        Outcome.ALLOW,
                        "task(s) " + tasks + " touch " + directory + "/: the review must run " + commands,
                        inputs);
            }
            if (input.changedFiles() == null) {
                return RuleDecision.of(
                        id,
                        KIND,
                        whenUnknown,
                        "the review reported no changed files, so it cannot be " + "shown that " + commands
                                + " ran where " + directory + "/ requires them",
                        inputs);
            }
            List<String> touched =
                    input.changedFiles().stream().filter(this::contains).toList();
            inputs.put("changedFiles", touched);
            List<String> ran = input.testCommands() == null ? List.of() : input.testCommands();
            inputs.put("testCommands", ran);
            if (touched.isEmpty()) {
                return RuleDecision.of(id, KIND, Outcome.ALLOW, "nothing under " + directory + "/ changed", inputs);
            }
            List<String> missing =
                    commands.stream().filter(command -> !ran.contains(command)).toList();
            return missing.isEmpty()
                    ? RuleDecision.of(
                            id,
                            KIND,
                            Outcome.ALLOW,
                            "changes under " + directory + "/ were tested with " + commands,
                            inputs)
                    : RuleDecision.of(
                            id,
                            KIND,
                            Outcome.DENY,
                            touched.size() + " changed file(s) under " + directory + "/ (" + touched.get(0)
                                    + ", …) but the review did not run " + missing,
                            inputs);
        }

        private boolean contains(String path) {
            String normal = normalise(path);
            return directory.isEmpty() || normal.equals(directory) || normal.startsWith(directory + "/");
        }

        private boolean overlaps(String taskDirectory) {
            String normal = normalise(taskDirectory);
            return contains(normal) || normal.isEmpty() || directory.startsWith(normal + "/");
        }

        static String normalise(String path) {
            String normal = path.strip().replace('\\', '/');
            while (normal.startsWith("./")) {
                normal = normal.substring(2);
            }
            while (normal.startsWith("/")) {
                normal = normal.substring(1);
            }
            while (normal.endsWith("/")) {
                normal = normal.substring(0, normal.length() - 1);
            }
            return normal.equals(".") ? "" : normal;
        }
    }

    record ChurnLimit(
            String id,
            String description,
            Set<Checkpoint> checkpoints,
            Scope when,
            int maxLines,
            Outcome over,
            Outcome whenUnknown)
            implements Rule {
        static final String KIND = "churn-limit";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("maxLines", maxLines);
            inputs.put("linesChanged", input.linesChanged());
            if (input.linesChanged() == null) {
                return RuleDecision.of(
                        id,
                        KIND,
                        whenUnknown,
                        "the review reported no linesChanged, so the churn limit of " + maxLines
                                + " lines cannot be checked",
                        inputs);
            }
            return input.linesChanged() > maxLines
                    ? RuleDecision.of(
                            id,
                            KIND,
                            over,
                            input.linesChanged() + " lines changed, over the limit of " + maxLines,
                            inputs)
                    : RuleDecision.of(
                            id,
                            KIND,
                            Outcome.ALLOW,
                            input.linesChanged() + " lines changed, within " + maxLines,
                            inputs);
        }
    }

    /** A freeze: from {@code cron} for {@code duration} each time, or once from {@code from} to {@code to}. */
    record FreezeWindow(
            String id,
            String description,
            Set<Checkpoint> checkpoints,
            Scope when,
            ZoneId zone,
            CronExpression cron,
            String cronText,
            Duration duration,
            Instant from,
            Instant to)
            implements Rule {
        static final String KIND = "freeze-window";
        private static final int MAX_CHAINED_WINDOWS = 1000;

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("now", now.toString());
            inputs.put("timezone", zone.getId());
            if (cron != null) {
                inputs.put("cron", cronText);
                inputs.put("duration", duration.toString());
            } else {
                inputs.put("from", from.toString());
                inputs.put("to", to.toString());
            }
            Instant end = freezeEnd(now);
            if (end == null) {
                return RuleDecision.of(id, KIND, Outcome.ALLOW, "outside the freeze window", inputs);
            }
            return new RuleDecision(
                    id,
                    KIND,
                    Outcome.DENY,
                    "freeze window '" + id + "' until "
                            + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(end.atZone(zone)) + " (" + zone.getId()
                            + ")",
                    inputs,
                    end);
        }

        /** The end of the freeze {@code now} falls in, or null when it falls in none. */
        Instant freezeEnd(Instant now) {
            if (cron == null) {
                return !now.isBefore(from) && now.isBefore(to) ? to : null;
            }
            ZonedDateTime start = cron.next(now.atZone(zone).minus(duration));
            if (start == null || start.toInstant().isAfter(now)) {
                return null;
            }
            ZonedDateTime end = start.plus(duration);
            // overlapping windows chain into one freeze
            ZonedDateTime next = cron.next(start);
            for (int i = 0; next != null && !next.isAfter(end) && i < MAX_CHAINED_WINDOWS; i++) {
                ZonedDateTime nextEnd = next.plus(duration);
                end = nextEnd.isAfter(end) ? nextEnd : end;
                next = cron.next(next);
            }
            return end.toInstant();
        }
    }

    record ChangeBudget(
            String id, String description, Set<Checkpoint> checkpoints, Scope when, ZoneId zone, int maxDeploysPerDay)
            implements Rule {
        static final String KIND = "change-budget";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public RuleDecision decide(Checkpoint checkpoint, PolicyInput input, Instant now) {
            ZonedDateTime dayStart = now.atZone(zone).toLocalDate().atStartOfDay(zone);
            Instant dayEnd = dayStart.plusDays(1).toInstant();
            long used = input.deploys().count(input.service(), dayStart.toInstant(), dayEnd);
            Map<String, Object> inputs = new LinkedHashMap<>();
            inputs.put("service", String.valueOf(input.service()));
            inputs.put("day", dayStart.toLocalDate().toString());
            inputs.put("timezone", zone.getId());
            inputs.put("deploysToday", used);
            inputs.put("maxDeploysPerDay", maxDeploysPerDay);
            if (used < maxDeploysPerDay) {
                return RuleDecision.of(
                        id,
                        KIND,
                        Outcome.ALLOW,
                        used + " of " + maxDeploysPerDay + " deploys of " + input.service() + " used today",
                        inputs);
            }
            return new RuleDecision(
                    id,
                    KIND,
                    Outcome.DENY,
                    "the budget of " + maxDeploysPerDay + " deploys of "
                            + input.service() + " per day is spent (" + used + " today); it renews at "
                            + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(dayEnd.atZone(zone)),
                    inputs,
                    dayEnd);
        }
    }

    /** The checkpoints each kind may be evaluated at, and those it is evaluated at by default. */
    static List<Checkpoint> allowedCheckpoints(String kind) {
        return switch (kind) {
            case RequiredTests.KIND -> List.of(Checkpoint.SCHEDULING, Checkpoint.PRE_MERGE);
            case ChurnLimit.KIND, FreezeWindow.KIND -> List.of(Checkpoint.PRE_MERGE, Checkpoint.PRE_DEPLOY);
            case ChangeBudget.KIND -> List.of(Checkpoint.PRE_DEPLOY);
            default -> List.of(Checkpoint.values());
        };
    }

    static List<Checkpoint> defaultCheckpoints(String kind) {
        return switch (kind) {
            case RequiredTests.KIND -> List.of(Checkpoint.SCHEDULING, Checkpoint.PRE_MERGE);
            case ApprovalLabels.KIND -> List.of(Checkpoint.SCHEDULING);
            case ChurnLimit.KIND -> List.of(Checkpoint.PRE_MERGE);
            default -> List.of(Checkpoint.PRE_DEPLOY);
        };
    }

    static List<String> ids(List<Checkpoint> checkpoints) {
        List<String> ids = new ArrayList<>();
        checkpoints.forEach(c -> ids.add(c.id()));
        return ids;
    }
}
