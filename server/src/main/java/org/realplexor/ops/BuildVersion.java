package org.realplexor.ops;

import java.lang.reflect.Method;

/**
 * The running build's version and commit, for {@code realplexor_build_info}: from
 * {@code org.realplexor.BuildInfo} when the build has one (its static {@code version()} and
 * {@code commit()}), else the jar's Implementation-Version; "unknown" for what is not known.
 */
final class BuildVersion {
    private BuildVersion() {}

    static String[] read() {
        String version = null;
        String commit = null;
        try {
            Class<?> c = Class.forName("org.realplexor.BuildInfo");
            version = call(c, "version");
            commit = call(c, "commit");
        } catch (ClassNotFoundException e) {
            // a build without it: the manifest below
        }
        if (version == null) version = BuildVersion.class.getPackage().getImplementationVersion();
        return new String[] {orUnknown(version), orUnknown(commit)};
    }

    private static String call(Class<?> c, String name) {
        try {
            Method m = c.getMethod(name);
            Object v = m.invoke(null);
            return v == null ? null : v.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? "unknown" : s;
    }
}
