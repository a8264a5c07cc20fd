package org.realplexor.example.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A post to {@code /send}, from a form ({@code channels=Alpha&channels=Beta&author=..&text=..})
 * or JSON ({@code {"channels":["Alpha","Beta"],"author":"..","text":".."}}), checked.
 *
 * @param channels the channels to publish to, without the namespace, no duplicates
 * @param author who wrote it ("anonymous" when left empty)
 * @param text the message, not blank
 */
record SendRequest(List<String> channels, String author, String text) {

    /** The page's rule too: a channel becomes the Realplexor id {@code chat_NAME}, which must be \w+. */
    static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_]{1,40}");

    static final int MAX_CHANNELS = 20;
    static final int MAX_AUTHOR = 40;
    static final int MAX_TEXT = 2000;

    /** Thrown for a post that cannot be sent; the message is for the user. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    static SendRequest parse(String contentType, byte[] body) throws Invalid {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        List<String> channels = new ArrayList<>();
        String author = null;
        String text = null;
        if (type.startsWith("application/json")) {
            JsonNode root;
            try {
                root = Exchanges.JSON.readTree(body);
            } catch (IOException e) {
                throw new Invalid("the body is not valid JSON");
            }
            if (root == null || !root.isObject()) {
                throw new Invalid("the body must be a JSON object");
            }
            JsonNode list = root.path("channels");
            if (list.isArray()) {
                list.forEach(c -> channels.add(c.asText()));
            } else if (list.isTextual()) {
                channels.add(list.asText());
            }
            author = root.path("author").asText(null);
            text = root.path("text").asText(null);
        } else if (type.isEmpty() || type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = decode(pair.substring(0, eq));
                String value = decode(pair.substring(eq + 1));
                switch (name) {
                    case "channels" -> channels.add(value);
                    case "author" -> author = value;
                    case "text" -> text = value;
                    default -> {} // other form fields are not ours
                }
            }
        } else {
            throw new Invalid("send a form or JSON, not " + contentType);
        }
        return checked(channels, author, text);
    }

    private static SendRequest checked(List<String> channels, String author, String text) throws Invalid {
        Set<String> unique = new LinkedHashSet<>();
        for (String c : channels) {
            String name = c.trim();
            if (!CHANNEL.matcher(name).matches()) {
                throw new Invalid("invalid channel \"" + c + "\": use 1 to 40 letters, digits or _");
            }
            unique.add(name);
        }
        if (unique.isEmpty()) {
            throw new Invalid("choose at least one channel");
        }
        if (unique.size() > MAX_CHANNELS) {
            throw new Invalid("at most " + MAX_CHANNELS + " channels per message");
        }
        String who = author == null || author.isBlank() ? "anonymous" : author.strip();
        if (who.length() > MAX_AUTHOR) {
            throw new Invalid("the name is longer than " + MAX_AUTHOR + " characters");
        }
        if (text == null || text.isBlank()) {
            throw new Invalid("the message is empty");
        }
        if (text.length() > MAX_TEXT) {
            throw new Invalid("the message is longer than " + MAX_TEXT + " characters");
        }
        return new SendRequest(List.copyOf(unique), who, text.strip());
    }

    private static String decode(String s) throws Invalid {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid("the form is not properly encoded");
        }
    }
}
