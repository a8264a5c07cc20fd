package org.realplexor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.realplexor.RealplexorServer;
import org.realplexor.config.Settings;

/** The status page's routes and its login (ADMIN_USERS), against a real server. */
class StatusPageTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private Settings settings(Map<String, Object> more) {
        Map<String, Object> knobs = new java.util.HashMap<>(Map.of(
                "WAIT_ADDR",
                "127.0.0.1:0",
                "IN_ADDR",
                "127.0.0.1:0",
                "ADMIN_ADDR",
                "127.0.0.1:0",
                "USERS_FILE",
                "",
                "VERBOSITY",
                "1"));
        knobs.putAll(more);
        return Settings.from(knobs, dir);
    }

    private HttpResponse<String> get(RealplexorServer s, String path, String login, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.adminPorts().get(0) + path));
        if (login != null) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {SHA} hash of "secret": the htpasswd -s form. */
    private Path admins() throws Exception {
        String sha = Base64.getEncoder()
                .encodeToString(java.security.MessageDigest.getInstance("SHA-1")
                        .digest("secret".getBytes(StandardCharsets.UTF_8)));
        return Files.writeString(dir.resolve("admins.htpasswd"), ":\nops:{SHA}" + sha + "\n");
    }

    @Test
    void withAdminUsersEverythingButMetricsAndHealthNeedsALogin() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of("ADMIN_USERS", admins().toString())))) {
            for (String path : List.of("/", "/status.js", "/status", "/api/summary", "/api/online", "/api/events")) {
                HttpResponse<String> anonymous = get(s, path, null, null);
                assertEquals(401, anonymous.statusCode(), path);
                assertEquals(
                        "Basic realm=\"realplexor admin\", charset=\"UTF-8\"",
                        anonymous.headers().firstValue("WWW-Authenticate").orElse(""),
                        path);
                assertEquals(401, get(s, path, "ops", "wrong").statusCode(), path);
                assertEquals(401, get(s, path, "", "").statusCode(), "a ':' line lets no guest in: " + path);
                assertEquals(200, get(s, path, "ops", "secret").statusCode(), path);
            }
            assertEquals(200, get(s, "/metrics", null, null).statusCode(), "scrapers need no login");
            assertEquals(200, get(s, "/health", null, null).statusCode(), "balancers need no login");
        }
    }

    @Test
    void beyondLoopbackWithoutAdminUsersTheStartIsRefused() {
        Exception e = assertThrows(
                Exception.class,
                () -> RealplexorServer.start(settings(Map.of("ADMIN_ADDR", "0.0.0.0:0")))
                        .close());
        assertEquals(
                "ADMIN_ADDR 0.0.0.0:0 listens beyond loopback, and the status page lists channel ids: set"
                        + " ADMIN_USERS (an htpasswd file of who may log in) or listen on 127.0.0.1",
                e.getMessage());
    }

    @Test
    void beyondLoopbackWithAdminUsersItListens() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(
                settings(Map.of("ADMIN_ADDR", "0.0.0.0:0", "ADMIN_USERS", admins().toString())))) {
            assertEquals(200, get(s, "/api/summary", "ops", "secret").statusCode());
        }
    }

    @Test
    void onlineIsSearchedAndPagedAndEventsComeNewestFirst() throws Exception {
        try (RealplexorServer s = RealplexorServer.start(settings(Map.of()))) {
            List<Socket> polls = new java.util.ArrayList<>();
            try {
                for (String id : List.of("room_a", "room_b", "room_c", "user_1")) {
                    Socket p = new Socket("127.0.0.1", s.waitPort());
                    p.getOutputStream()
                            .write(("GET /?identifier=" + id + " HTTP/1.1\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                    p.getInputStream().read();
                    polls.add(p);
                }
                JsonObject page = new JsonObject(
                        get(s, "/api/online?q=ROOM&page=1&size=2", null, null).body());
                assertEquals(3, page.getInteger("total"), page.encode());
                assertEquals("[[\"room_c\",1]]", page.getJsonArray("rows").encode());
                JsonObject events =
                        new JsonObject(get(s, "/api/events?n=10", null, null).body());
                assertEquals(
                        "user_1", events.getJsonArray("events").getJsonObject(0).getString("id"), events.encode());
                assertEquals(
                        "online", events.getJsonArray("events").getJsonObject(0).getString("type"));
                assertEquals(4, events.getJsonArray("events").size(), events.encode());
                JsonObject summary =
                        new JsonObject(get(s, "/api/summary", null, null).body());
                assertEquals(4, summary.getJsonObject("connections").getInteger("longPolls"), summary.encode());
                assertEquals("local", summary.getString("engine"));
            } finally {
                for (Socket p : polls) p.close();
            }
        }
    }

    @Test
    void clusterNodesAreReadFromTheRedisSectionOfStats() {
        String stats = "[redis]\nurl redis://127.0.0.1:6379, prefix realplexor:\nstate up\nnode a1 here\n"
                + "nodes a1 (heartbeat due in 4.5s) b2 (heartbeat due in 0.0s)\nkeys: 1 queue(s)\n";
        assertEquals(
                "[{\"node\":\"a1\",\"heartbeatDueIn\":4.5},{\"node\":\"b2\",\"heartbeatDueIn\":0.0}]",
                StatusPage.parseNodes(stats).encode());
    }
}
