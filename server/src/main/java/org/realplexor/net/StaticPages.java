package org.realplexor.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.realplexor.config.Settings;

/**
 * The IFRAME and SCRIPT answers: templates read at start and on reload, with every {@code $name}
 * replaced by the knob of that name (or {@code undefined-name}), served with the original's
 * caching headers.
 */
final class StaticPages {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StaticPages.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-zA-Z]\\w*)");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, ppd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    static final String IFRAME_RESOURCE = "/org/realplexor/static/iframe.html";
    static final String SCRIPT_RESOURCE = "/org/realplexor/static/dklab_realplexor.js";

    private final Page iframe;
    private final Page script;

    private record Page(String head, byte[] content) {}

    private StaticPages(Page iframe, Page script) {
        this.iframe = iframe;
        this.script = script;
    }

    static StaticPages load(Settings s) throws IOException {
        String charset = s.charset();
        Page iframe = page(
                s,
                "IFRAME_FILE",
                s.iframeFile(),
                IFRAME_RESOURCE,
                "text/html; charset=" + charset,
                "Origin-Agent-Cluster: ?0\r\n");
        Page script =
                page(s, "SCRIPT_FILE", s.scriptFile(), SCRIPT_RESOURCE, "text/javascript; charset=" + charset, "");
        return new StaticPages(iframe, script);
    }

    byte[] iframe(String corsHeaders) {
        return render(iframe, corsHeaders);
    }

    byte[] script(String corsHeaders) {
        return render(script, corsHeaders);
    }

    private static byte[] render(Page p, String corsHeaders) {
        byte[] head = (p.head() + corsHeaders + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + p.content().length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(p.content(), 0, all, head.length, p.content().length);
        return all;
    }

    /** @param knob the knob that names {@code file}, for the error that says which to fix */
    private static Page page(Settings s, String knob, Path file, String resource, String type, String extra)
            throws IOException {
        String text = null;
        Instant modified = null;
        if (file != null) {
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
                modified = Files.getLastModifiedTime(file).toInstant();
            } catch (java.nio.file.NoSuchFileException e) {
                // The original's config names its own templates, which stay behind in its folder.
                if (!s.isOriginalFileName(knob)) throw new IOException(knob + " " + file + ": not found", e);
                log.info("{} {}: not found; serving the bundled page", knob, file);
            } catch (IOException e) {
                throw new IOException(knob + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
            }
        }
        if (text == null) {
            URL url = StaticPages.class.getResource(resource);
            if (url == null) throw new IOException("bundled template " + resource + " is missing from the jar");
            URLConnection c = url.openConnection();
            long lm = c.getLastModified();
            try (InputStream in = c.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            modified = lm > 0 ? Instant.ofEpochMilli(lm) : Instant.now();
        }
        String head = "HTTP/1.1 200 OK\r\n"
                + "Connection: close\r\n"
                + "Content-Type: " + type + "\r\n"
                + "Last-Modified: " + HTTP_DATE.format(modified) + "\r\n"
                + "Expires: Wed, 08 Jul 2037 22:53:52 GMT\r\n"
                + "Cache-Control: public\r\n"
                + extra;
        return new Page(head, substitute(text, s).getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code $name} by the knob of exactly that name, or by {@code undefined-name}. */
    static String substitute(String template, Settings s) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder(template.length());
        while (m.find()) {
            String v = s.knobText(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "undefined-" + m.group(1) : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
