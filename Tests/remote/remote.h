/*
 * remote.h -- what the remote test programs share: the conformance
 * harness's checks and output ("ok - <case>: <what>", "not ok - ...", the
 * "# <case>: N passed, N failed, N skipped" summary), and connecting to the
 * server $RUMP_SERVER names through librumpclient.
 *
 * The programs are linked with -lrumpclient only: every rump_sys_* call is
 * shipped to rump_server, errno after a failed call is the NetBSD number,
 * and structures have NetBSD's layouts, exactly as with a local kernel.
 * harness.h's boot and sub-process helpers (rump_init, /proc/self/exe
 * re-runs) are not used here.
 */
#ifndef REMOTE_TEST_H
#define REMOTE_TEST_H

#include "harness.h"

#include <rump/rumpclient.h>

/* Connect to $RUMP_SERVER; the rest of a case depends on it. */
#define R_CONNECT() do {						\
	int _rv;							\
	errno = 0;							\
	_rv = rumpclient_init();					\
	REQUIRE("rumpclient_init() connects to $RUMP_SERVER", _rv == 0); \
} while (0)

static H_UNUSED int
r_stat(const char *p, struct rump_stat *sb)
{
	return rump_sys_stat(p, (struct stat *)(void *)sb);
}

static H_UNUSED int
r_lstat(const char *p, struct rump_stat *sb)
{
	return rump_sys_lstat(p, (struct stat *)(void *)sb);
}

static H_UNUSED int
r_fstat(int fd, struct rump_stat *sb)
{
	return rump_sys_fstat(fd, (struct stat *)(void *)sb);
}

/* Read exactly n bytes from a host pipe; 0 on success. */
static H_UNUSED int
r_readn(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		ssize_t got = read(fd, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Write exactly n bytes to a host pipe; 0 on success. */
static H_UNUSED int
r_writen(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The exit status of a host child, or -1 (with the reason in *how). */
static H_UNUSED int
r_wait(pid_t pid, const char **how)
{
	int status;

	*how = "exited";
	if (waitpid(pid, &status, 0) != pid) {
		*how = "waitpid failed";
		return -1;
	}
	if (WIFSIGNALED(status)) {
		*how = "killed by a signal";
		return -1;
	}
	return WEXITSTATUS(status);
}

#endif /* REMOTE_TEST_H */
