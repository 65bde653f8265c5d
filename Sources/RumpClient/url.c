/*
 * url.c: $RUMP_SERVER, the server's address.
 *
 *   unix://path          a local socket; a relative path is taken from the
 *                        current directory now, so that a later chdir() or
 *                        an exec'd image still finds the server
 *   tcp://a.b.c.d:port   IPv4; the server's wildcard address is no good here
 *
 * Errors are host errno values, with a line on stderr saying what is wrong,
 * as the reference client does.
 */
#include "rc_int.h"

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

static int
bad(const char *url, const char *why, int error)
{
	fprintf(stderr, "rumpclient: RUMP_SERVER \"%s\": %s\n", url, why);
	return error;
}

static int
parse_unix(const char *url, const char *path, struct rc_server *srv)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&srv->addr;
	char abs[PATH_MAX];
	size_t n;

	if (*path == '\0')
		return bad(url, "no socket path", EINVAL);
	if (path[0] == '/') {
		n = strlen(path);
		if (n >= sizeof(abs))
			return bad(url, "path too long", ENAMETOOLONG);
		memcpy(abs, path, n + 1);
	} else {
		if (getcwd(abs, sizeof(abs)) == NULL)
			return bad(url, "cannot learn the current directory", errno);
		n = strlen(abs);
		if (n + 1 + strlen(path) >= sizeof(abs))
			return bad(url, "path too long", ENAMETOOLONG);
		snprintf(abs + n, sizeof(abs) - n, "%s%s",
		    n > 0 && abs[n - 1] == '/' ? "" : "/", path);
	}
	n = strlen(abs);
	if (n >= sizeof(sun->sun_path) || n + 8 >= sizeof(srv->url))
		return bad(url, "socket path too long", ENAMETOOLONG);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, abs, n + 1);
	srv->family = AF_UNIX;
	srv->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	memcpy(srv->url, "unix://", 7);
	memcpy(srv->url + 7, abs, n + 1);
	return 0;
}

static int
parse_tcp(const char *url, const char *addr, struct rc_server *srv)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&srv->addr;
	const char *colon = strchr(addr, ':'), *p;
	char host[64];
	unsigned long port;
	size_t n;

	if (colon == NULL)
		return bad(url, "no port", EINVAL);
	n = (size_t)(colon - addr);
	if (n == 0 || n >= sizeof(host))
		return bad(url, "bad address", EINVAL);
	memcpy(host, addr, n);
	host[n] = '\0';

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return bad(url, "not an IPv4 address", EINVAL);
	if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
		return bad(url, "a client needs the server's address, not *", EINVAL);

	p = colon + 1;
	n = strspn(p, "0123456789");
	if (n == 0 || n > 5)
		return bad(url, "bad port", EINVAL);
	/* A trailing slash is tolerated, as the reference does. */
	if (p[n] != '\0' && !(p[n] == '/' && p[n + 1] == '\0'))
		return bad(url, "junk after the port", EINVAL);
	port = strtoul(p, NULL, 10);
	if (port == 0 || port > 65535)
		return bad(url, "port out of range", ERANGE);
	sin->sin_port = htons((uint16_t)port);

	srv->family = AF_INET;
	srv->addrlen = sizeof(*sin);
	snprintf(srv->url, sizeof(srv->url), "tcp://%s:%lu", host, port);
	return 0;
}

/* Parse `url` into *srv: 0 or a host errno. */
int
rc_parse_url(const char *url, struct rc_server *srv)
{
	const char *sep = strstr(url, "://");
	size_t n;

	if (sep == NULL)
		return bad(url, "want unix://path or tcp://address:port", EINVAL);
	n = (size_t)(sep - url);
	if (n == 4 && memcmp(url, "unix", 4) == 0)
		return parse_unix(url, sep + 3, srv);
	if (n == 3 && memcmp(url, "tcp", 3) == 0)
		return parse_tcp(url, sep + 3, srv);
	if (n == 4 && memcmp(url, "tcp6", 4) == 0)
		return bad(url, "IPv6 is not supported", EOPNOTSUPP);
	return bad(url, "unknown scheme", EINVAL);
}
