/*
 * transport.c: the socket to the server: connecting, the banner, sending
 * whole frames, and keeping the descriptor out of the application's way.
 */
#include "rc_int.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Move fd to a close-on-exec descriptor above 2, so that it never becomes
 * the application's stdin, stdout or stderr (a program that closes 0-2 and
 * reopens them must not land on our socket).  With mustmove, fd is moved
 * even if it is above 2 already, and the old one is left open for the
 * caller.  Returns the new descriptor, or -1 with errno set.
 */
int
rc_dup_above_stdio(int fd, int mustmove)
{
	int nfd, e;

	if (fd < 0)
		return -1;
	if (fd > 2 && !mustmove) {
		if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
			return -1;
		return fd;
	}
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (nfd == -1) {
		e = errno;
		if (!mustmove)
			close(fd);
		errno = e;
		return -1;
	}
	if (!mustmove)
		close(fd);
	return nfd;
}

/* Wait until fd is ready for `events`; signals in *omask may arrive. */
static int
wait_fd(int fd, short events, const sigset_t *omask)
{
	struct pollfd p = { .fd = fd, .events = events };

	while (ppoll(&p, 1, NULL, omask) == -1) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

/*
 * A connected, non-blocking socket to the server, or -1 with errno set.
 * TCP connects without blocking so that the signals the caller accepts
 * (*omask, or none if NULL) still arrive while a far host is slow.
 */
int
rc_socket_open(const struct rc_server *srv, const sigset_t *omask)
{
	int s, on = 1, e;
	socklen_t elen = sizeof(e);

	s = socket(srv->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	s = rc_dup_above_stdio(s, 0);
	if (s == -1)
		return -1;
	if (fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) == -1)
		goto fail;

	if (srv->family == AF_INET)
		(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));

	while (connect(s, (const struct sockaddr *)&srv->addr, srv->addrlen) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && srv->family == AF_UNIX) {
			/*
			 * The server's backlog is full: it is busy, not gone.
			 * Nothing to poll for on an unconnected local socket.
			 */
			struct timespec ts = { 0, 10000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (errno != EINPROGRESS)
			goto fail;
		if ((errno = wait_fd(s, POLLOUT, omask)) != 0)
			goto fail;
		if (getsockopt(s, SOL_SOCKET, SO_ERROR, &e, &elen) == -1)
			goto fail;
		if (e != 0) {
			errno = e;
			goto fail;
		}
		break;
	}
	return s;
fail:
	e = errno;
	close(s);
	errno = e;
	return -1;
}

/* Make room for `more` bytes after the unconsumed receive bytes: 0 or ENOMEM. */
int
rc_rx_reserve(struct rc_conn *c, size_t more)
{
	size_t have = c->rxlen - c->rxoff, cap;
	uint8_t *n;

	if (c->rxoff > 0) {
		memmove(c->rx, c->rx + c->rxoff, have);
		c->rxoff = 0;
		c->rxlen = have;
	}
	if (c->rxcap - c->rxlen >= more)
		return 0;
	cap = c->rxcap ? c->rxcap : 4096;
	while (cap - have < more)
		cap *= 2;
	if ((n = realloc(c->rx, cap)) == NULL)
		return ENOMEM;
	c->rx = n;
	c->rxcap = cap;
	return 0;
}

/*
 * Read the server's banner from c->fd: one line of at most SP_MAXBANNER
 * bytes.  Its contents are not checked, as in the reference.  Bytes after
 * the line stay in the receive buffer.  0 or a host errno.
 */
int
rc_read_banner(struct rc_conn *c, const sigset_t *omask)
{
	size_t seen = 0;
	uint8_t *nl;
	ssize_t n;
	int e;

	c->rxoff = c->rxlen = 0;
	if ((e = rc_rx_reserve(c, SP_MAXBANNER)) != 0)
		return e;
	for (;;) {
		n = read(c->fd, c->rx + c->rxlen, SP_MAXBANNER - c->rxlen);
		if (n == 0)
			return ECONNRESET;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return errno;
			if ((e = wait_fd(c->fd, POLLIN, omask)) != 0)
				return e;
			continue;
		}
		c->rxlen += (size_t)n;
		nl = memchr(c->rx + seen, '\n', c->rxlen - seen);
		if (nl != NULL) {
			c->rxoff = (size_t)(nl - c->rx) + 1;
			return 0;
		}
		seen = c->rxlen;
		if (c->rxlen >= SP_MAXBANNER)
			return EPROTO;
	}
}

/*
 * Send iov whole on c's socket; the caller holds c->sendmtx.  The array is
 * used up.  A frame sent in part leaves the stream unusable, so any failure
 * means the connection is gone: 0 or ENOTCONN.
 */
int
rc_send(struct rc_conn *c, struct iovec *iov, int iovcnt)
{
	struct msghdr m;
	struct pollfd p;
	ssize_t n;

	while (iovcnt > 0 && iov->iov_len == 0) {
		iov++;
		iovcnt--;
	}
	while (iovcnt > 0) {
		if (c->fd < 0)
			return ENOTCONN;
		memset(&m, 0, sizeof(m));
		m.msg_iov = iov;
		m.msg_iovlen = (size_t)iovcnt;
		n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return ENOTCONN;
			/* Signals stay blocked: this thread holds sendmtx. */
			p.fd = c->fd;
			p.events = POLLOUT;
			if (poll(&p, 1, -1) == -1 && errno != EINTR)
				return ENOTCONN;
			continue;
		}
		while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
			n -= (ssize_t)iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + n;
			iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/*
 * Send one frame with a body of `len` bytes (a reply to the server, or a
 * request nobody waits for).  0 or ENOTCONN; a failure marks c lost.
 */
int
rc_send_frame(struct rc_conn *c, uint16_t class, uint16_t type,
    uint64_t reqno, uint32_t arg, const void *body, size_t len)
{
	struct sp_hdr h = {
		.len = sizeof(h) + len, .reqno = reqno,
		.class = class, .type = type, .arg = arg,
	};
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)(uintptr_t)body, .iov_len = len },
	};
	int e;

	pthread_mutex_lock(&c->sendmtx);
	e = rc_send(c, iov, 2);
	pthread_mutex_unlock(&c->sendmtx);
	if (e != 0) {
		pthread_mutex_lock(&c->mtx);
		rc_lost_locked(c);
		pthread_mutex_unlock(&c->mtx);
	}
	return e;
}

/* The host errno for an ERROR frame's code (sp_wire.h). */
int
rc_error_errno(uint32_t code)
{
	switch (code) {
	case SP_ERR_NONE:		return 0;
	case SP_ERR_TRYAGAIN:		return EAGAIN;
	case SP_ERR_AUTH:		return EPERM;
	case SP_ERR_INVALID_PREFORK:	return ESRCH;
	case SP_ERR_RFORK_FAILED:	return EIO;
	case SP_ERR_INEXEC:		return EBUSY;
	case SP_ERR_NOMEM:		return ENOMEM;
	case SP_ERR_MALFORMED_REQUEST:	return EINVAL;
	default:			return EPROTO;
	}
}

/*
 * The application is about to close (or dup2 over) *fdp, or to close every
 * descriptor from *fdp up.  Our descriptors get out of the way: a socket
 * about to be closed moves to another number first; for a close-from, the
 * descriptors below ours are closed here and *fdp is moved past ours.
 */
int
rumpclient__closenotify(int *fdp, enum rumpclient_closevariant variant)
{
	struct rc_conn *c = __atomic_load_n(&rc_cur, __ATOMIC_ACQUIRE);
	int fd, hi, nfd, e = 0;
	sigset_t omask;

	if (c == NULL || c->pid != getpid() || c->fd < 0)
		return 0;
	if (variant == RUMPCLIENT_CLOSE_FCLOSEFROM) {
		hi = c->fd > c->kickfd ? c->fd : c->kickfd;
		for (fd = *fdp; fd <= hi; fd++) {
			if (fd != c->fd && fd != c->kickfd)
				(void)close(fd);
		}
		if (*fdp <= hi)
			*fdp = hi + 1;
		return 0;
	}
	if (*fdp != c->fd && *fdp != c->kickfd)
		return 0;
	if (rc_is_rxowner(c)) {
		/* A signal handler inside our own call: the socket is busy. */
		errno = EBUSY;
		return -1;
	}

	RC_BLOCK(&omask);
	rc_quiesce(c);
	if (*fdp == c->fd) {
		if ((nfd = rc_dup_above_stdio(c->fd, 1)) == -1)
			e = errno;
		else
			c->fd = nfd;
	} else if (*fdp == c->kickfd) {
		if ((nfd = rc_dup_above_stdio(c->kickfd, 1)) == -1)
			e = errno;
		else
			c->kickfd = nfd;
	}
	rc_unquiesce(c);
	RC_UNBLOCK(&omask);
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}
