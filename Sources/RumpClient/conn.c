/*
 * conn.c: this process's connection: rumpclient_init(), the handshakes,
 * rumpclient_close(), and what a host fork() does to it.
 */
#include "rc_int.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct rc_conn *rc_cur;
struct rc_server rc_srv;
int rc_srv_parsed;
time_t rc_retry;		/* 0: no reconnecting, as the reference */
sigset_t rc_fullset;

/* Serialises rumpclient_init() and rumpclient_close(). */
static pthread_mutex_t initmtx = PTHREAD_MUTEX_INITIALIZER;

/*
 * A host fork() copies the socket into the child, where it is not the
 * child's to use: a frame the child sent would land in the middle of the
 * parent's conversation.  The child forgets the connection; it gets its
 * own with rumpclient_fork_init() (after a prefork) or rumpclient_init()
 * (a fresh rump process).  vfork() runs no atfork handlers: see fork.c.
 */
static void
forget_in_child(void)
{
	struct rc_conn *c = rc_cur;

	pthread_mutex_init(&initmtx, NULL);
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->kickfd >= 0)
		close(c->kickfd);
	c->fd = c->kickfd = -1;
	__atomic_store_n(&rc_cur, NULL, __ATOMIC_RELEASE);
}

__attribute__((constructor)) static void
rc_setup(void)
{
	sigfillset(&rc_fullset);
	pthread_atfork(NULL, NULL, forget_in_child);
}

/* This program's name for the server: /proc/self/comm, as the reference. */
static size_t
progname(char *buf, size_t cap)
{
	ssize_t n = -1;
	int fd;

	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd != -1) {
		n = read(fd, buf, cap - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(buf, cap, "%s", "???");
		return strlen(buf);
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return strlen(buf);
}

/*
 * Handshake of `kind` on c, whose socket is past the banner.  GUEST and
 * EXEC send the program name and offer the extension; FORK sends the
 * prefork cookie `auth` (and with `cancel`, only gives the prefork back,
 * without waiting: the server then hangs up).  0 or a host errno.
 */
int
rc_handshake(struct rc_conn *c, uint32_t kind, const void *auth, int cancel,
    const sigset_t *omask)
{
	char body[128 + SP_EXT_TAGLEN];
	struct sp_handshake_fork hf;
	int32_t answer[2] = { 0, 0 };
	struct rc_req r;
	unsigned gen;
	size_t n;
	int e;

	memset(&r, 0, sizeof(r));
	r.type = SP_HANDSHAKE;
	r.arg = kind;
	r.nbody = 1;
	r.resp = answer;
	r.respcap = sizeof(answer);
	if (kind == SP_HANDSHAKE_FORK) {
		memset(&hf, 0, sizeof(hf));
		memcpy(hf.auth, auth, sizeof(hf.auth));
		hf.cancel = cancel;
		if (cancel)
			return rc_send_frame(c, SP_REQ, SP_HANDSHAKE, 0, kind,
			    &hf, sizeof(hf));
		r.body[0].iov_base = &hf;
		r.body[0].iov_len = sizeof(hf);
	} else {
		/* The reference server reads up to the NUL and ignores the tag. */
		n = progname(body, 128);
		memcpy(body + n + 1, SP_EXT_TAG, SP_EXT_TAGLEN);
		r.body[0].iov_base = body;
		r.body[0].iov_len = n + 1 + SP_EXT_TAGLEN;
	}

	rc_snapshot(c, &gen, NULL);
	e = rc_call(c, &r, gen, omask, &gen);
	if (e != 0)
		return e;
	if (r.resptype != SP_HANDSHAKE || (r.resplen != 4 && r.resplen != 8))
		return EPROTO;
	if (answer[0] != 0)
		return answer[0] > 0 ? answer[0] : EPROTO;
	pthread_mutex_lock(&c->mtx);
	c->ext = r.resplen == 8 ? (uint32_t)answer[1] & SP_EXT_INLINE : 0;
	pthread_mutex_unlock(&c->mtx);
	return 0;
}

/*
 * Connect c, not yet shared with anyone, to the server and hand-shake
 * (`auth`: the cookie for a FORK handshake).  0 or a host errno; on
 * failure c is closed again.
 */
int
rc_open(struct rc_conn *c, uint32_t kind, const void *auth, const sigset_t *omask)
{
	int e;

	if (!rc_srv_parsed)
		return ENOTCONN;
	c->fd = rc_socket_open(&rc_srv, omask);
	if (c->fd == -1)
		return errno;
	e = rc_read_banner(c, omask);
	if (e == 0) {
		c->state = RC_LIVE;
		e = rc_handshake(c, kind, auth, 0, omask);
	}
	if (e != 0) {
		close(c->fd);
		c->fd = -1;
		c->state = RC_CLOSED;
	}
	return e;
}

/*
 * Put the socket of `fresh` (connected, hand-shaken by rc_open) into c,
 * which other threads may be using, and free `fresh`.  0, or a host errno
 * if c cannot be made ready (then `fresh` is closed).
 */
int
rc_adopt(struct rc_conn *c, struct rc_conn *fresh)
{
	int e;

	rc_quiesce(c);
	if ((e = rc_make_kickfd(c)) != 0) {
		rc_unquiesce(c);
		close(fresh->fd);
		rc_conn_free(fresh);
		return e;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = fresh->fd;
	free(c->rx);
	c->rx = fresh->rx;
	c->rxcap = fresh->rxcap;
	c->rxoff = fresh->rxoff;
	c->rxlen = fresh->rxlen;
	c->ext = fresh->ext;
	c->gen++;
	c->state = RC_LIVE;
	rc_unquiesce(c);

	fresh->rx = NULL;
	rc_conn_free(fresh);
	return 0;
}

/* c's current generation and extension flags (either may be NULL). */
void
rc_snapshot(struct rc_conn *c, unsigned *gen, uint32_t *ext)
{
	pthread_mutex_lock(&c->mtx);
	if (gen != NULL)
		*gen = c->gen;
	if (ext != NULL)
		*ext = c->ext;
	pthread_mutex_unlock(&c->mtx);
}

/* An fd handed over by rumpclient_exec() in the image before this one. */
static int
take_exec_fd(struct rc_conn *c, const char *val)
{
	char link[64], path[32];
	struct stat st;
	int fd, aux = -1;
	ssize_t n;

	if (sscanf(val, "%d,%d", &fd, &aux) < 1 || fd < 0)
		return EBADF;
	/*
	 * The reference passes its signalfd as the second number; we have no
	 * use for it, and it must not stay open behind the program's back.
	 */
	if (aux > 2 && aux != fd) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", aux);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			if (strcmp(link, "anon_inode:[signalfd]") == 0)
				close(aux);
		}
	}
	if (fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode))
		return EBADF;
	if ((fd = rc_dup_above_stdio(fd, 0)) == -1)
		return errno;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		return errno;
	c->fd = fd;
	c->state = RC_LIVE;
	return 0;
}

/* The first connection of this process.  0 or a host errno. */
static int
first_connect(const sigset_t *omask)
{
	struct rc_conn *c = rc_conn_alloc();
	const char *execfd = getenv("RUMPCLIENT__EXECFD");
	int e;

	if (c == NULL)
		return ENOMEM;
	if (execfd != NULL) {
		/* Continue the rump process of the image that exec'd us. */
		e = take_exec_fd(c, execfd);
		unsetenv("RUMPCLIENT__EXECFD");
		if (e == 0)
			e = rc_handshake(c, SP_HANDSHAKE_EXEC, NULL, 0, omask);
		if (e == 0)
			e = rc_make_kickfd(c);
		if (e != 0 && c->fd >= 0)
			close(c->fd);
	} else {
		e = rc_open(c, SP_HANDSHAKE_GUEST, NULL, omask);
		if (e == 0 && (e = rc_make_kickfd(c)) != 0)
			close(c->fd);
	}
	if (e != 0) {
		if (c->kickfd >= 0)
			close(c->kickfd);
		rc_conn_free(c);
		return e;
	}
	__atomic_store_n(&rc_cur, c, __ATOMIC_RELEASE);
	return 0;
}

int
rumpclient_init(void)
{
	struct rc_conn *c, *fresh;
	struct rc_server srv;
	const char *url;
	sigset_t omask;
	int e = 0;

	RC_BLOCK(&omask);
	pthread_mutex_lock(&initmtx);
	c = rc_cur;
	if (c != NULL && c->pid != getpid()) {
		/*
		 * Inherited without the atfork handler (a vfork() child, a raw
		 * clone): the parent's, not ours.  Our copies of its
		 * descriptors go; its memory may be the parent's, so it stays.
		 */
		if (c->fd >= 0)
			close(c->fd);
		if (c->kickfd >= 0)
			close(c->kickfd);
		c = NULL;
	}
	if (c != NULL && c->state == RC_LIVE)
		goto out;

	url = getenv("RUMP__PARSEDSERVER");
	if (url == NULL)
		url = getenv("RUMP_SERVER");
	if (url == NULL) {
		fprintf(stderr, "rumpclient: RUMP_SERVER is not set\n");
		e = ENOENT;
		goto out;
	}
	if ((e = rc_parse_url(url, &srv)) != 0)
		goto out;

	if (c == NULL) {
		rc_srv = srv;
		rc_srv_parsed = 1;
		e = first_connect(&omask);
		goto out;
	}

	/*
	 * Lost or closed before: a new connection, a fresh rump process.
	 * reconmtx keeps a reconnecting thread from doing the same meanwhile
	 * (and from reading rc_srv while it changes).
	 */
	pthread_mutex_lock(&c->reconmtx);
	if (c->state != RC_LIVE) {
		rc_srv = srv;
		rc_srv_parsed = 1;
		if ((fresh = rc_conn_alloc()) == NULL)
			e = ENOMEM;
		else if ((e = rc_open(fresh, SP_HANDSHAKE_GUEST, NULL, &omask)) != 0)
			rc_conn_free(fresh);
		else
			e = rc_adopt(c, fresh);
	}
	pthread_mutex_unlock(&c->reconmtx);
out:
	pthread_mutex_unlock(&initmtx);
	RC_UNBLOCK(&omask);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

int
rumpclient_close(void)
{
	struct rc_conn *c;
	sigset_t omask;
	int e = 0;

	RC_BLOCK(&omask);
	pthread_mutex_lock(&initmtx);
	c = rc_cur;
	if (c == NULL || c->state == RC_CLOSED) {
		e = ENOTCONN;
	} else if (rc_is_rxowner(c)) {
		/* From a signal handler that interrupted our own call. */
		e = EBUSY;
	} else {
		/* After a reconnect in progress, not during it. */
		pthread_mutex_lock(&c->reconmtx);
		pthread_mutex_lock(&c->mtx);
		rc_lost_locked(c);
		c->state = RC_CLOSED;
		pthread_mutex_unlock(&c->mtx);

		rc_quiesce(c);
		if (c->fd >= 0)
			close(c->fd);
		if (c->kickfd >= 0)
			close(c->kickfd);
		c->fd = c->kickfd = -1;
		c->rxoff = c->rxlen = 0;
		c->gen++;
		rc_unquiesce(c);
		pthread_mutex_unlock(&c->reconmtx);
	}
	pthread_mutex_unlock(&initmtx);
	RC_UNBLOCK(&omask);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}
