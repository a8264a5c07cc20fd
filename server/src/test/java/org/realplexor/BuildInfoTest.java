package org.realplexor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void theBuildFilledInTheVersionAndCommit() {
        BuildInfo b = BuildInfo.current();
        assertTrue(b.version().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), b.version());
        // "unknown" only for a build outside git (a source tarball)
        assertTrue(b.commit().matches("[0-9a-f]{7,40}(-dirty)?|unknown"), b.commit());
    }

    @Test
    void describesItselfInOneLine() {
        assertEquals(
                "realplexor 1.2.3 (commit 0123456789ab)",
                info("1.2.3", "0123456789ab", "false").describe());
        assertEquals(
                "realplexor 1.2.3 (commit 0123456789ab-dirty)",
                info("1.2.3", "0123456789ab", "true").describe());
    }

    @Test
    void valuesTheBuildLeftUnfilledAreUnknown() {
        BuildInfo b = info("${project.version}", "${git.commit.id.abbrev}", "${git.dirty}");
        assertEquals("realplexor unknown (commit unknown)", b.describe());
        assertEquals(
                "realplexor unknown (commit unknown)",
                BuildInfo.fromProperties(new Properties()).describe());
        assertEquals("unknown", info("1.0.0", "", "false").commit(), "git ran outside a repository");
    }

    @Test
    void theStartLineCarriesTheLaunchersNote() {
        BuildInfo b = info("1.2.3", "abc", "false");
        assertEquals("realplexor 1.2.3 (commit abc) starting", b.startLine(null));
        assertEquals("realplexor 1.2.3 (commit abc) starting", b.startLine(" "));
        assertEquals(
                "realplexor 1.2.3 (commit abc) starting; launcher: open files limit 1024 raised to 4096 (hard limit 4096)",
                b.startLine("open files limit 1024 raised to 4096 (hard limit 4096)"));
    }

    private static BuildInfo info(String version, String commit, String dirty) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        p.setProperty("dirty", dirty);
        return BuildInfo.fromProperties(p);
    }
}
