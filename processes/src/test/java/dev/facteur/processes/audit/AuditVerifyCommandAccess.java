package dev.facteur.processes.audit;

import java.io.PrintStream;
import java.util.Map;

/** Lets tests run the CLI's logic without {@code System.exit}. */
public final class AuditVerifyCommandAccess {

    private AuditVerifyCommandAccess() {}

    public static int run(String[] args, PrintStream out) {
        return AuditVerifyCommand.run(args, Map.of(), out, out);
    }
}
