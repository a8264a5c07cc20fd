package org.realplexor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.realplexor.BuildInfo;

/**
 * The container image's config, read from {@code target/jib-image.tar} as a runtime would:
 * entrypoint, user, ports, environment, health check, labels. The image is built only with
 * {@code -Pimage} (its Debian base takes a minute and a half), so without the tar this test is
 * skipped and says so.
 */
class ReleaseImageIT {
    private static final Path IMAGE = Path.of("target", "jib-image.tar").toAbsolutePath();

    @Test
    void theImageRunsTheServerAsANonRootUserOnBothLines() throws Exception {
        Assumptions.assumeTrue(
                Files.isRegularFile(IMAGE),
                "SKIPPED: " + IMAGE + " is not there (built by mvn package -Pimage); the image was not checked");
        JsonNode config = new ObjectMapper().readTree(tarEntry("config.json")).get("config");

        List<String> entrypoint = strings(config.get("Entrypoint"));
        assertEquals("java", entrypoint.get(0), entrypoint.toString());
        assertEquals(
                List.of("-cp", "@/app/jib-classpath-file", "org.realplexor.Main"),
                entrypoint.subList(entrypoint.size() - 3, entrypoint.size()));
        assertEquals(
                launcherJvmDefaults(),
                entrypoint.subList(1, entrypoint.size() - 3),
                "the image starts the JVM as bin/realplexor does");
        assertEquals(List.of("/etc/realplexor/realplexor.conf"), strings(config.get("Cmd")));

        String user = config.get("User").asText();
        assertTrue(user.matches("[1-9]\\d*:[1-9]\\d*"), "a numeric non-root user: " + user);
        assertEquals(List.of("10010/tcp", "8088/tcp"), sortedFields(config.get("ExposedPorts")));
        List<String> env = strings(config.get("Env"));
        for (String e : List.of(
                "REALPLEXOR_WAIT_ADDR=0.0.0.0:8088",
                "REALPLEXOR_IN_ADDR=0.0.0.0:10010",
                "REALPLEXOR_ADMIN_ADDR=127.0.0.1:10011")) {
            assertTrue(env.contains(e), e + " in " + env);
        }
        List<String> health = strings(config.get("Healthcheck").get("Test"));
        assertEquals("CMD", health.get(0));
        assertTrue(
                health.get(health.size() - 1).contains("REALPLEXOR_ADMIN_ADDR")
                        && health.get(health.size() - 1).contains("GET /health"),
                health.toString());

        JsonNode labels = config.get("Labels");
        assertEquals(
                BuildInfo.current().version(),
                labels.get("org.opencontainers.image.version").asText());
        // the commit the image was built from: an image left from an earlier -Pimage build may be older
        assertTrue(
                labels.get("org.opencontainers.image.revision").asText().matches("[0-9a-f]{12}|"), labels.toString());
    }

    /** The defaults= line of bin/realplexor, split into flags. */
    private static List<String> launcherJvmDefaults() throws Exception {
        Matcher m =
                Pattern.compile("(?m)^defaults=\"([^\"]*)\"$").matcher(Files.readString(Path.of("bin", "realplexor")));
        assertTrue(m.find(), "bin/realplexor has a defaults= line");
        return Arrays.asList(m.group(1).split(" "));
    }

    private static byte[] tarEntry(String name) throws Exception {
        Process p = new ProcessBuilder("tar", "-xOf", IMAGE.toString(), name).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "tar -xOf " + IMAGE + " " + name);
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> sortedFields(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }
}
