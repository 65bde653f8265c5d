/*
 * fork.c: host processes that fork, and their rump processes.
 *
 * The server forks the rump process first (PREFORK), while the parent's
 * connection still speaks for it, and hands back a cookie.  The host child
 * then makes its own connection and presents the cookie (a FORK
 * handshake), which binds the forked rump process to it.
 *
 * After vfork() the child runs in the parent's memory until it execs or
 * exits, so it must not change the parent's connection: it makes a new one
 * and points rc_cur at it, and the parent, resuming, points rc_cur back
 * (rumpclient_fork_vparent(), which rumpclient_vfork() calls).
 */
#include "rc_int.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rumpclient_fork {
	uint32_t auth[SP_AUTHLEN / 4];	/* the server's cookie */
	struct rc_conn *parent;		/* the connection that asked for it */
};

struct rumpclient_fork *
rumpclient_prefork(void)
{
	struct rumpclient_fork *rf;
	sigset_t omask;
	size_t len = 0;
	int e;

	RC_BLOCK(&omask);
	rf = malloc(sizeof(*rf));
	if (rf == NULL) {
		e = ENOMEM;
	} else {
		e = rc_request(SP_PREFORK, NULL, 0, rf->auth, sizeof(rf->auth),
		    &len, &omask);
		if (e == 0 && len != sizeof(rf->auth))
			e = EPROTO;
		rf->parent = __atomic_load_n(&rc_cur, __ATOMIC_ACQUIRE);
	}
	RC_UNBLOCK(&omask);
	if (e != 0) {
		free(rf);
		errno = e;
		return NULL;
	}
	return rf;
}

int
rumpclient_fork_init(struct rumpclient_fork *rf)
{
	struct rc_conn *old = rc_cur, *c;
	sigset_t omask;
	int e;

	RC_BLOCK(&omask);
	/*
	 * Still there after a fork() means no atfork handler ran (vfork, a
	 * raw clone): the parent's descriptors are in our table and go, but
	 * the memory may be the parent's and is not touched.
	 */
	if (old != NULL && old->pid != getpid()) {
		if (old->fd >= 0)
			close(old->fd);
		if (old->kickfd >= 0)
			close(old->kickfd);
	}
	__atomic_store_n(&rc_cur, NULL, __ATOMIC_RELEASE);

	if ((c = rc_conn_alloc()) == NULL) {
		e = ENOMEM;
	} else {
		e = rc_open(c, SP_HANDSHAKE_FORK, rf->auth, &omask);
		if (e == 0 && (e = rc_make_kickfd(c)) != 0)
			close(c->fd);
		if (e != 0)
			rc_conn_free(c);
		else
			__atomic_store_n(&rc_cur, c, __ATOMIC_RELEASE);
	}
	RC_UNBLOCK(&omask);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * The fork did not happen: give the server's forked process back, on a
 * connection of its own as the protocol wants (a FORK handshake with the
 * cancel flag; the server hangs up after it).  Best effort: a prefork
 * nobody claims also goes a while after the parent's connection ends.
 */
void
rumpclient_fork_cancel(struct rumpclient_fork *rf)
{
	int saved = errno;
	struct rc_conn *c;
	sigset_t omask;

	if (rf == NULL)
		return;
	RC_BLOCK(&omask);
	if (rc_srv_parsed && (c = rc_conn_alloc()) != NULL) {
		c->fd = rc_socket_open(&rc_srv, NULL);
		if (c->fd >= 0 && rc_read_banner(c, NULL) == 0)
			(void)rc_handshake(c, SP_HANDSHAKE_FORK, rf->auth, 1, NULL);
		if (c->fd >= 0)
			close(c->fd);
		rc_conn_free(c);
	}
	free(rf);
	RC_UNBLOCK(&omask);
	errno = saved;
}

void
rumpclient_fork_vparent(struct rumpclient_fork *rf)
{
	struct rc_conn *child = rc_cur;

	/* The child's connection: its descriptors were only in its table. */
	if (child != NULL && child != rf->parent && child->pid != getpid())
		rc_conn_free(child);
	__atomic_store_n(&rc_cur, rf->parent, __ATOMIC_RELEASE);
	free(rf);
}

pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rf;
	pid_t pid;
	int e;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	pid = fork();
	if (pid == -1) {
		rumpclient_fork_cancel(rf);
		return -1;
	}
	/* As the reference: a child that cannot connect sees -1. */
	if (pid == 0 && rumpclient_fork_init(rf) == -1)
		pid = -1;
	e = errno;
	free(rf);
	errno = e;
	return pid;
}

int
rumpclient_daemon(int nochdir, int noclose)
{
	struct rumpclient_fork *rf;
	int fd, e;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	switch (fork()) {
	case -1:
		rumpclient_fork_cancel(rf);
		return -1;
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1 || (!nochdir && chdir("/") == -1)) {
		rumpclient_fork_cancel(rf);
		return -1;
	}
	if (!noclose && (fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	/* The rump process continues in this, the host child. */
	e = rumpclient_fork_init(rf) == 0 ? 0 : errno;
	free(rf);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}
