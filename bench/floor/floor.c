/*
 * The floor: the least a server can do per delivery in the bench's fan-out, for comparison
 * only. It is NOT a Realplexor server: one id per listener, no namespaces, no limits, no
 * timeouts, no presence, messages of at most 4 KB, a ring of the last 256 messages, and only
 * what the bench's fan-out and publish requests send. What it keeps is the protocol's cost:
 * one TCP connection per delivery, the head sent at once, the answer later (corked, so that
 * it leaves with the FIN), then close. One thread, one epoll set, level-triggered.
 *
 *   floor WAIT_PORT IN_PORT    both on 127.0.0.1, 0 for any free port; prints the ports bound.
 *                              bench/bin/floor-fanout builds it and runs the fan-out against it.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 65536
#define RING 256
#define MAX_DATA 4096
#define LISTEN_WAIT -1LL
#define LISTEN_IN -2LL

enum kind { WAIT, IN };

typedef struct conn {
    int fd;
    enum kind kind;
    int len;
    int waiting;
    long long cursor;
    char id[64];
    char buf[8192];
    struct conn *next, *prev; /* the list of waiting polls */
} conn;

typedef struct {
    long long cursor;
    char id[64];
    int len;
    char data[MAX_DATA];
} message;

static conn *by_fd[MAX_FDS];
static conn waiting = {.next = &waiting, .prev = &waiting};
static message ring[RING];
static long long published; /* messages ever stored; ring[k % RING] holds message k */
static long long next_cursor = 1000;
static int ep;

static const char HEAD[] =
    "HTTP/1.1 200 OK\r\nConnection: close\r\nCache-Control: no-store, no-cache, must-revalidate\r\n"
    "Expires: Mon, 26 Jul 1997 05:00:00 GMT\r\nContent-Type: text/javascript; charset=utf-8\r\n\r\n";

static int listen_on(int port, long long tag, int defer_accept) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1, secs = 5;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* As the server does: the request is there when the connection is accepted. */
    if (defer_accept) setsockopt(s, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 8192)) {
        perror("floor: cannot listen");
        exit(2);
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (unsigned long long)tag};
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    return s;
}

static int port_of(int s) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &len);
    return ntohs(a.sin_port);
}

static void drop(conn *c) {
    if (c->waiting) {
        c->prev->next = c->next;
        c->next->prev = c->prev;
    }
    close(c->fd); /* also leaves the epoll set */
    by_fd[c->fd] = NULL;
    free(c);
}

/* Answers c with every stored message of its id past its cursor, if there is one. */
static void answer_if_due(conn *c) {
    static char out[RING * (MAX_DATA + 128)];
    int n = sprintf(out, "[\n"), parts = 0;
    for (long long k = published > RING ? published - RING : 0; k < published; k++) {
        message *m = &ring[k % RING];
        if (m->cursor <= c->cursor || strcmp(m->id, c->id) != 0) continue;
        n += sprintf(out + n, "%s  {\n    \"ids\": { \"%s\": \"%lld\" },\n    \"data\": %.*s\n  }",
                     parts++ ? ",\n" : "", c->id, m->cursor, m->len, m->data);
    }
    if (parts == 0) return;
    n += sprintf(out + n, "\n]");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &one, sizeof one);
    send(c->fd, out, n, MSG_NOSIGNAL);
    drop(c);
}

/* A poll: GET /?identifier=[CURSOR:]ID&... */
static void on_wait_bytes(conn *c) {
    char *p = memmem(c->buf, c->len, "identifier=", 11);
    if (!p) return;
    p += 11;
    char *end = p;
    while (end < c->buf + c->len && *end != '&' && *end != ' ' && *end != '\r') end++;
    if (end == c->buf + c->len) return; /* not all there yet */
    *end = 0;
    char *colon = strchr(p, ':');
    if (colon) {
        *colon = 0;
        c->cursor = atoll(p);
        p = colon + 1;
    } else {
        c->cursor = next_cursor - 1; /* from now on */
    }
    snprintf(c->id, sizeof c->id, "%s", p);
    send(c->fd, HEAD, sizeof HEAD - 1, MSG_NOSIGNAL);
    c->waiting = 1;
    c->next = waiting.next;
    c->prev = &waiting;
    waiting.next->prev = c;
    waiting.next = c;
    answer_if_due(c);
}

/* A publish: POST with Content-Length and X-Realplexor: identifier=ID, answered with "ID CURSOR". */
static void on_in_bytes(conn *c, int eof) {
    char *head_end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!head_end) {
        if (eof) drop(c);
        return;
    }
    int body = head_end + 4 - c->buf;
    char *cl = memmem(c->buf, body, "Content-Length: ", 16);
    int want = cl ? atoi(cl + 16) : c->len - body;
    if (c->len - body < want && !eof) return;
    char *x = memmem(c->buf, body, "identifier=", 11);
    if (!x || want > MAX_DATA) {
        drop(c);
        return;
    }
    x += 11;
    message *m = &ring[published % RING];
    m->cursor = next_cursor++;
    snprintf(m->id, sizeof m->id, "%.*s", (int)strcspn(x, "\r"), x);
    m->len = want;
    memcpy(m->data, c->buf + body, want);
    published++;
    char line[128], out[256];
    int bl = snprintf(line, sizeof line, "%s %lld\n", m->id, m->cursor);
    int n = snprintf(out, sizeof out, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", bl, line);
    send(c->fd, out, n, MSG_NOSIGNAL);
    drop(c);
    for (conn *w = waiting.next, *next; w != &waiting; w = next) {
        next = w->next;
        answer_if_due(w);
    }
}

static void accept_all(int lfd, enum kind kind) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        if (fd >= MAX_FDS) {
            close(fd);
            continue;
        }
        conn *c = calloc(1, sizeof *c);
        c->fd = fd;
        c->kind = kind;
        by_fd[fd] = c;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = (unsigned long long)fd};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: floor WAIT_PORT IN_PORT\n");
        return 2;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    int wait_fd = listen_on(atoi(argv[1]), LISTEN_WAIT, 1);
    int in_fd = listen_on(atoi(argv[2]), LISTEN_IN, 0);
    printf("floor: WAIT 127.0.0.1:%d IN 127.0.0.1:%d\n", port_of(wait_fd), port_of(in_fd));
    fflush(stdout);
    struct epoll_event evs[512];
    for (;;) {
        int n = epoll_wait(ep, evs, 512, -1);
        for (int k = 0; k < n; k++) {
            long long tag = (long long)evs[k].data.u64;
            if (tag == LISTEN_WAIT || tag == LISTEN_IN) {
                accept_all(tag == LISTEN_WAIT ? wait_fd : in_fd, tag == LISTEN_WAIT ? WAIT : IN);
                continue;
            }
            conn *c = by_fd[tag];
            if (!c) continue;
            if (c->waiting) { /* a waiting poll that reads anything has gone */
                drop(c);
                continue;
            }
            int r = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, 0);
            if (r <= 0) {
                if (r == 0 && c->kind == IN) on_in_bytes(c, 1);
                else drop(c);
                continue;
            }
            c->len += r;
            c->buf[c->len] = 0;
            if (c->kind == WAIT) on_wait_bytes(c);
            else on_in_bytes(c, 0);
        }
    }
}
