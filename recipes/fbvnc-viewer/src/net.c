/* net.c - connect to HOST:PORT (IPv4) within a time limit.
 *
 * libvncclient's own connect has a timeout, but its sockets then wait
 * forever on a peer that vanished without a FIN or RST (cable pulled,
 * server powered off): a blocking read never returns on a half-open
 * connection. Keepalive probes after 10 s of silence (3 s apart, 3 of
 * them) and TCP_USER_TIMEOUT (unacknowledged data for 15 s) turn that
 * into a socket error within about 20 s. */
#include "net.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void set_options(int fd)
{
    int on = 1, idle = 10, interval = 3, count = 3;
    unsigned int user_timeout_ms = 15000;
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);   /* keys and pointer: no delay */
}

static int resolve(const char *host, int port, struct sockaddr_in *sa, char *err, size_t errlen)
{
    struct addrinfo hints, *res = NULL;
    char service[8];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof service, "%d", port);
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0 || !res) {
        snprintf(err, errlen, "cannot resolve %s: %s", host, rc ? gai_strerror(rc) : "no address");
        return -1;
    }
    memcpy(sa, res->ai_addr, sizeof *sa);
    freeaddrinfo(res);
    return 0;
}

/* Waits for a non-blocking connect; 0 when connected. */
static int finish_connect(int fd, int timeout_s, char *err, size_t errlen)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int rc = poll(&p, 1, timeout_s * 1000), soerr = 0;
    socklen_t len = sizeof soerr;
    if (rc == 0) {
        snprintf(err, errlen, "no answer within %d s", timeout_s);
        return -1;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
        soerr = errno;
    if (soerr) {
        snprintf(err, errlen, "%s", strerror(soerr));
        return -1;
    }
    return 0;
}

int net_connect(const char *host, int port, int timeout_s, char *err, size_t errlen)
{
    struct sockaddr_in sa;
    if (resolve(host, port, &sa, err, errlen) != 0)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    set_options(fd);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        snprintf(err, errlen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (finish_connect(fd, timeout_s, err, errlen) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}
