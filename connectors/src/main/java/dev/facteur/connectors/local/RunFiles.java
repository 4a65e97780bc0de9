package dev.facteur.connectors.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facteur.model.stage.Stage;
import dev.facteur.model.stage.StageRequest;
import dev.facteur.model.stage.StageResult;
import dev.facteur.model.stage.StageResultReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The files of one run folder ({@code <workDir>/<workflowName>/}) and their JSON format. The folder
 * outlives the JVM: a result file found there after a restart is the run's final word.
 */
final class RunFiles {

    static final int TAIL_CHARS = 500;
    private static final int TAIL_BYTES = 16 * 1024;

    private final Path dir;
    private final ObjectMapper mapper;

    RunFiles(Path workDir, String workflowName, ObjectMapper mapper) {
        this.dir = workDir.resolve(workflowName);
        this.mapper = mapper;
    }

    Path dir() {
        return dir;
    }

    Path request() {
        return dir.resolve("request.json");
    }

    Path result() {
        return dir.resolve("result.json");
    }

    Path log() {
        return dir.resolve("output.log");
    }

    /** Starts a fresh attempt of the run: a clean result slot and the request the command reads. */
    void prepare(StageRequest request) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(result());
        ObjectNode json = mapper.valueToTree(request);
        // the contract names stages by id ("planning"), not by the Java enum constant
        json.put("stage", request.stage().id());
        json.put("workflowName", request.workflowName());
        writeAtomically(request(), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    boolean hasResult() {
        return Files.isRegularFile(result());
    }

    /**
     * Reads the result file through the one {@link StageResultReader}: strict, so that an agent that forgot its
     * status or the output its stage must report fails the attempt instead of passing it.
     *
     * @throws IOException when the file is missing, unreadable or not a valid result of the stage
     */
    StageResult readResult(Stage stage) throws IOException {
        try {
            return new StageResultReader(mapper).parse(stage, Files.readString(result(), StandardCharsets.UTF_8));
        } catch (StageResultReader.InvalidResult e) {
            throw new IOException(e.getMessage());
        }
    }

    /** Records the executor's final result (measured usage included) as the run's outcome. */
    void writeResult(StageResult result) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(result(), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
    }

    /** Keeps an unreadable agent result for inspection before the executor's verdict replaces it. */
    void setAsideInvalidResult() throws IOException {
        if (hasResult()) {
            Files.move(result(), dir.resolve("result.invalid.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The last non-empty lines of the output log, at most {@value #TAIL_CHARS} characters. */
    String logTail() {
        if (!Files.isRegularFile(log())) {
            return "";
        }
        String text;
        try (RandomAccessFile file = new RandomAccessFile(log().toFile(), "r")) {
            // only the end matters, and a chatty command can write megabytes
            long start = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output log unreadable: " + e.getMessage() + ")";
        }
        return tail(text, TAIL_CHARS);
    }

    static String tail(String text, int maxChars) {
        String[] lines = text.split("\\R");
        Deque<String> kept = new ArrayDeque<>();
        int length = 0;
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int added = line.length() + (kept.isEmpty() ? 0 : 1);
            if (length + added > maxChars) {
                if (kept.isEmpty()) {
                    // one huge line: its end is where errors usually are
                    kept.addFirst(line.substring(line.length() - maxChars));
                }
                break;
            }
            kept.addFirst(line);
            length += added;
        }
        return String.join("\n", kept);
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        // readers (status after a restart, a concurrent agent) never see half a file
        Path temp =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
