/* net.h - the TCP connection to the VNC server: name lookup, a connect
 * with a time limit, and socket options that make a dead peer show up as
 * an error instead of an endless wait (keepalive, TCP_USER_TIMEOUT). */
#ifndef FBVNC_NET_H
#define FBVNC_NET_H

#include <stddef.h>

/* Returns a connected non-blocking socket, or -1 with a reason in err. */
int net_connect(const char *host, int port, int timeout_s, char *err, size_t errlen);

#endif
