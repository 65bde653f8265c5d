/* libs: -lrumpnet_local -lrumpnet_net -lrumpnet -lrumpvfs -lrump -lrumpuser */
/*
 * 40_socket_local: local-domain sockets with NetBSD's numbers.
 *
 * AF_LOCAL 1; SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5; SOCK_CLOEXEC
 * 0x10000000, SOCK_NONBLOCK 0x20000000; SOL_SOCKET 0xffff, SCM_RIGHTS 1;
 * struct sockaddr_un { uint8_t sun_len, sun_family; char sun_path[104]; }.
 * A bound socket's name is the address it was bound with, sun_len set to
 * the length given to bind (sockargs), here 2 + strlen(path) + 1; an
 * unnamed socket's is sun_noname (sun_len 2).  NetBSD's
 * amd64 struct msghdr (48 bytes, socklen_t and int lengths) and struct
 * cmsghdr (12 bytes, data at 16).  Errors: EAFNOSUPPORT 47, EPROTOTYPE 41,
 * EPROTONOSUPPORT 43, EADDRINUSE 48, ECONNREFUSED 61, EISCONN 56,
 * ENOTCONN 57, EAGAIN 35, EPIPE 32, EMSGSIZE 40, ENOPROTOOPT 42,
 * ENOTSOCK 38.
 */
#include "../harness.h"
#include <sys/uio.h>
#include <sys/select.h>

#define NB_AF_LOCAL	1
#define NB_AF_INET	2
#define NB_STREAM	1
#define NB_DGRAM	2
#define NB_RAW		3
#define NB_SEQPACKET	5
#define NB_CLOEXEC	0x10000000
#define NB_NONBLOCK	0x20000000
#define NB_NOSIGPIPE	0x40000000
#define NB_SOL_SOCKET	0xffff
#define NB_SCM_RIGHTS	1
#define NB_SO_REUSEADDR	0x4
#define NB_SO_KEEPALIVE	0x8
#define NB_SO_ACCEPTCONN 0x2
#define NB_SO_NOSIGPIPE	0x800
#define NB_SO_SNDBUF	0x1001
#define NB_SO_RCVBUF	0x1002
#define NB_SO_ERROR	0x1007
#define NB_SO_TYPE	0x1008
#define NB_MSG_PEEK	0x2
#define NB_MSG_TRUNC	0x10
#define NB_MSG_CTRUNC	0x20
#define NB_MSG_WAITALL	0x40
#define NB_MSG_DONTWAIT	0x80
#define NB_MSG_NOSIGNAL	0x400
#define NB_MSG_CMSG_CLOEXEC 0x800
#define NB_SHUT_RD	0
#define NB_SHUT_WR	1
#define NB_SHUT_RDWR	2
#define NB_F_GETFD	1
#define NB_F_GETFL	3
#define NB_FIONREAD	0x4004667fUL
#define NB_POLLIN	0x1
#define NB_POLLOUT	0x4

struct nb_sockaddr_un {
	uint8_t sun_len;
	uint8_t sun_family;
	char sun_path[104];
};

struct nb_msghdr {
	void *msg_name;
	uint32_t msg_namelen;
	struct iovec *msg_iov;
	int msg_iovlen;
	void *msg_control;
	uint32_t msg_controllen;
	int msg_flags;
};

struct nb_cmsghdr {
	uint32_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
#define NB_CMSG_DATA_OFF 16

static socklen_t
mkaddr(struct nb_sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = NB_AF_LOCAL;
	strcpy(sun->sun_path, path);
	sun->sun_len = (uint8_t)(2 + strlen(path));
	return (socklen_t)(2 + strlen(path) + 1);
}

#define SA(p) ((struct sockaddr *)(void *)(p))

/* send one descriptor with a byte of data */
static ssize_t
send_fd(int s, int fd, int flags)
{
	union { char buf[32]; uint64_t align; } u;
	struct nb_cmsghdr *cm = (void *)u.buf;
	struct nb_msghdr m;
	struct iovec iov;
	char c = 'F';

	memset(&u, 0, sizeof(u));
	cm->cmsg_len = NB_CMSG_DATA_OFF + sizeof(int);
	cm->cmsg_level = NB_SOL_SOCKET;
	cm->cmsg_type = NB_SCM_RIGHTS;
	memcpy(u.buf + NB_CMSG_DATA_OFF, &fd, sizeof(int));
	iov.iov_base = &c;
	iov.iov_len = 1;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = NB_CMSG_DATA_OFF + 8;
	return rump_sys_sendmsg(s, (void *)&m, flags);
}

/* receive one descriptor; returns it, or -1000-errno, -2000 for no rights */
static int
recv_fd(int s, int flags, int *msgflags)
{
	union { char buf[64]; uint64_t align; } u;
	struct nb_cmsghdr *cm = (void *)u.buf;
	struct nb_msghdr m;
	struct iovec iov;
	char c;
	int fd;

	memset(&u, 0, sizeof(u));
	iov.iov_base = &c;
	iov.iov_len = 1;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof(u.buf);
	if (rump_sys_recvmsg(s, (void *)&m, flags) != 1)
		return -1000 - errno;
	*msgflags = m.msg_flags;
	if (m.msg_controllen != NB_CMSG_DATA_OFF + sizeof(int) ||
	    cm->cmsg_level != NB_SOL_SOCKET || cm->cmsg_type != NB_SCM_RIGHTS ||
	    cm->cmsg_len != NB_CMSG_DATA_OFF + sizeof(int))
		return -2000;
	memcpy(&fd, u.buf + NB_CMSG_DATA_OFF, sizeof(int));
	return fd;
}

static int
getint(int s, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (rump_sys_getsockopt(s, NB_SOL_SOCKET, opt, &v, &len) != 0)
		return -1000 - errno;
	if (len != sizeof(int))
		return -3000;
	return v;
}

static void
test_create(void)
{
	int s, sv[2];

	CHECK_ERR("socket(AF_INET (no such domain), SOCK_STREAM) fails with EAFNOSUPPORT",
	    rump_sys_socket(NB_AF_INET, NB_STREAM, 0), RUMP_EAFNOSUPPORT);
	CHECK_ERR("socket(99, SOCK_STREAM) fails with EAFNOSUPPORT",
	    rump_sys_socket(99, NB_STREAM, 0), RUMP_EAFNOSUPPORT);
	CHECK_ERR("socket(AF_LOCAL, SOCK_RAW, 0) fails with EPROTOTYPE",
	    rump_sys_socket(NB_AF_LOCAL, NB_RAW, 0), RUMP_EPROTOTYPE);
	CHECK_ERR("socket(AF_LOCAL, SOCK_STREAM, 6) fails with EPROTONOSUPPORT",
	    rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 6), RUMP_EPROTONOSUPPORT);
	CHECK_ERR("socketpair(AF_INET, ...) fails with EAFNOSUPPORT",
	    rump_sys_socketpair(NB_AF_INET, NB_STREAM, 0, sv), RUMP_EAFNOSUPPORT);
	s = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	CHECK_EQ("socket(AF_LOCAL, SOCK_STREAM, 0) gets descriptor 3", s, 3);
	CHECK_EQ("SO_TYPE is SOCK_STREAM", getint(s, NB_SO_TYPE), NB_STREAM);
	CHECK_EQ("SO_ERROR is 0", getint(s, NB_SO_ERROR), 0);
	CHECK_EQ("SO_SNDBUF is 4096", getint(s, NB_SO_SNDBUF), 4096);
	CHECK_EQ("SO_RCVBUF is 4096", getint(s, NB_SO_RCVBUF), 4096);
	CHECK_EQ("SO_ACCEPTCONN is 0", getint(s, NB_SO_ACCEPTCONN), 0);
	CHECK_EQ("SO_REUSEADDR is 0", getint(s, NB_SO_REUSEADDR), 0);
	{
		int one = 1;
		int64_t big8[1] = { 1 };
		CHECK_EQ("setsockopt(SO_REUSEADDR, 1)", rump_sys_setsockopt(s, NB_SOL_SOCKET,
		    NB_SO_REUSEADDR, &one, sizeof(one)), 0);
		CHECK_EQ("... SO_REUSEADDR reads 1", getint(s, NB_SO_REUSEADDR), 1);
		CHECK_EQ("setsockopt(SO_KEEPALIVE, 1)", rump_sys_setsockopt(s, NB_SOL_SOCKET,
		    NB_SO_KEEPALIVE, &one, sizeof(one)), 0);
		CHECK_EQ("... SO_KEEPALIVE reads 1", getint(s, NB_SO_KEEPALIVE), 1);
		CHECK_ERR("setsockopt with a 2-byte value fails with EINVAL",
		    rump_sys_setsockopt(s, NB_SOL_SOCKET, NB_SO_KEEPALIVE, &one, 2), RUMP_EINVAL);
		CHECK_ERR("setsockopt with an 8-byte int option fails with EINVAL (exact size)",
		    rump_sys_setsockopt(s, NB_SOL_SOCKET, NB_SO_KEEPALIVE, big8, 8), RUMP_EINVAL);
		one = 0;
		CHECK_ERR("SO_SNDBUF 0 fails with EINVAL", rump_sys_setsockopt(s, NB_SOL_SOCKET,
		    NB_SO_SNDBUF, &one, sizeof(one)), RUMP_EINVAL);
		one = 8192;
		CHECK_EQ("SO_SNDBUF 8192", rump_sys_setsockopt(s, NB_SOL_SOCKET, NB_SO_SNDBUF, &one,
		    sizeof(one)), 0);
		CHECK_EQ("... reads 8192", getint(s, NB_SO_SNDBUF), 8192);
		one = 1;
		CHECK_ERR("setsockopt of unknown option 0x7777 fails with ENOPROTOOPT",
		    rump_sys_setsockopt(s, NB_SOL_SOCKET, 0x7777, &one, sizeof(one)),
		    RUMP_ENOPROTOOPT);
		CHECK_EQ("getsockopt of unknown option 0x7777 fails with ENOPROTOOPT",
		    getint(s, 0x7777), -1000 - RUMP_ENOPROTOOPT);
	}
	{
		struct rump_stat st;
		CHECK_EQ("fstat of a socket", rump_sys_fstat(s, (void *)&st), 0);
		CHECK_EQ("... st_mode is S_IFSOCK|0666", st.st_mode, RUMP_S_IFSOCK | 0666);
	}
	CHECK_EQ("close it", rump_sys_close(s), 0);
	s = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM | NB_CLOEXEC | NB_NONBLOCK, 0);
	CHECK_GE("socket(SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK)", s, 0);
	CHECK_EQ("... FD_CLOEXEC set", rump_sys_fcntl(s, NB_F_GETFD, 0), 1);
	CHECK_EQ("... F_GETFL is O_RDWR|O_NONBLOCK", rump_sys_fcntl(s, NB_F_GETFL, 0),
	    RUMP_O_RDWR | RUMP_O_NONBLOCK);
	CHECK_EQ("... SO_TYPE SOCK_DGRAM", getint(s, NB_SO_TYPE), NB_DGRAM);
	CHECK_EQ("... SO_SNDBUF 2048", getint(s, NB_SO_SNDBUF), 2048);
	CHECK_EQ("... SO_RCVBUF 4096", getint(s, NB_SO_RCVBUF), 4096);
	rump_sys_close(s);
	CHECK_ERR("getsockopt on a pipe fails with ENOTSOCK",
	    rump_sys_pipe(sv) == 0 ? rump_sys_listen(sv[0], 1) : -2, RUMP_ENOTSOCK);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);
}

static void
test_socketpair(void)
{
	int sv[2], n;
	char buf[64];
	struct pollfd pfd;

	CHECK_EQ("socketpair(AF_LOCAL, SOCK_STREAM)",
	    rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	CHECK_EQ("write 5 bytes on one end", rump_sys_write(sv[0], "hello", 5), 5);
	CHECK_EQ("FIONREAD on the other end says 5",
	    rump_sys_ioctl(sv[1], NB_FIONREAD, &n) == 0 ? n : -1, 5);
	pfd.fd = sv[1];
	pfd.events = NB_POLLIN | NB_POLLOUT;
	pfd.revents = 0;
	CHECK_EQ("poll: readable and writable", rump_sys_poll((void *)&pfd, 1, 0), 1);
	CHECK_EQ("... revents POLLIN|POLLOUT", pfd.revents, NB_POLLIN | NB_POLLOUT);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("recv with MSG_PEEK sees 5", rump_sys_recvfrom(sv[1], buf, sizeof(buf),
	    NB_MSG_PEEK, NULL, NULL), 5);
	CHECK_EQ("read gets the 5 bytes", rump_sys_read(sv[1], buf, sizeof(buf)), 5);
	CHECK_MEM("... \"hello\"", buf, "hello", 5);
	CHECK_EQ("echo back", rump_sys_write(sv[1], buf, 5), 5);
	CHECK_EQ("... and read it", rump_sys_read(sv[0], buf, sizeof(buf)), 5);
	CHECK_ERR("recv with MSG_DONTWAIT on an empty socket fails with EAGAIN",
	    rump_sys_recvfrom(sv[0], buf, sizeof(buf), NB_MSG_DONTWAIT, NULL, NULL),
	    RUMP_EAGAIN);
	pfd.fd = sv[0];
	pfd.events = NB_POLLIN;
	CHECK_EQ("poll for input on the empty end times out (0)",
	    rump_sys_poll((void *)&pfd, 1, 10), 0);
	{
		struct nb_sockaddr_un sun;
		socklen_t len = sizeof(sun);
		memset(&sun, 0xa5, sizeof(sun));
		CHECK_EQ("getsockname of an unnamed socket", rump_sys_getsockname(sv[0],
		    SA(&sun), &len), 0);
		CHECK_EQ("... length 2", len, 2);
		CHECK_EQ("... sun_len 2", sun.sun_len, 2);
		CHECK_EQ("... sun_family AF_LOCAL", sun.sun_family, NB_AF_LOCAL);
		len = sizeof(sun);
		CHECK_EQ("getpeername of a socketpair end", rump_sys_getpeername(sv[0],
		    SA(&sun), &len), 0);
		CHECK_EQ("... length 2", len, 2);
	}

	/* shutdown */
	CHECK_EQ("shutdown(SHUT_WR)", rump_sys_shutdown(sv[0], NB_SHUT_WR), 0);
	CHECK_EQ("the peer reads 0 (end of file)", rump_sys_read(sv[1], buf, sizeof(buf)), 0);
	CHECK_ERR("a send after SHUT_WR fails with EPIPE (MSG_NOSIGNAL)",
	    rump_sys_sendto(sv[0], "x", 1, NB_MSG_NOSIGNAL, NULL, 0), RUMP_EPIPE);
	CHECK_EQ("the other direction still works", rump_sys_write(sv[1], "ab", 2), 2);
	CHECK_EQ("... read 2", rump_sys_read(sv[0], buf, sizeof(buf)), 2);
	CHECK_ERR("shutdown(3) fails with EINVAL", rump_sys_shutdown(sv[0], 3), RUMP_EINVAL);
	CHECK_EQ("write 4 bytes towards the first end", rump_sys_write(sv[1], "gone", 4), 4);
	CHECK_EQ("shutdown(SHUT_RD) on the first end", rump_sys_shutdown(sv[0], NB_SHUT_RD), 0);
	CHECK_EQ("... its reads return 0 (the queued bytes are dropped)",
	    rump_sys_read(sv[0], buf, sizeof(buf)), 0);
	CHECK_EQ("... the peer may still write (the bytes are dropped)",
	    rump_sys_write(sv[1], "more", 4), 4);
	CHECK_EQ("... and reads still return 0", rump_sys_read(sv[0], buf, sizeof(buf)), 0);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);
	CHECK_EQ("a new socketpair", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	CHECK_EQ("sendto with an address on a connected stream ignores it",
	    rump_sys_sendto(sv[0], "a", 1, 0, SA(&sv), 4), 1);
	rump_sys_read(sv[1], buf, sizeof(buf));
	{
		int u = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
		CHECK_ERR("send on an unconnected stream socket: ENOTCONN",
		    rump_sys_sendto(u, "a", 1, 0, NULL, 0), RUMP_ENOTCONN);
		CHECK_ERR("accept on an unlistening stream socket: EINVAL",
		    rump_sys_accept(u, NULL, NULL), RUMP_EINVAL);
		CHECK_ERR("read on an unconnected stream socket: ENOTCONN",
		    rump_sys_read(u, buf, 1), RUMP_ENOTCONN);
		CHECK_EQ("shutdown of an unconnected socket succeeds (NetBSD 7's soshutdown "
		    "has no ENOTCONN)", rump_sys_shutdown(u, NB_SHUT_RDWR), 0);
		rump_sys_close(u);
		u = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
		CHECK_ERR("listen on a datagram socket: EOPNOTSUPP", rump_sys_listen(u, 1),
		    RUMP_EOPNOTSUPP);
		CHECK_ERR("accept on a datagram socket: EOPNOTSUPP",
		    rump_sys_accept(u, NULL, NULL), RUMP_EOPNOTSUPP);
		rump_sys_close(u);
	}
	CHECK_EQ("write 3 bytes, then close the writer", rump_sys_write(sv[1], "xyz", 3), 3);
	rump_sys_close(sv[1]);
	CHECK_EQ("the survivor reads the 3 queued bytes", rump_sys_read(sv[0], buf, sizeof(buf)), 3);
	CHECK_EQ("... then end of file", rump_sys_read(sv[0], buf, sizeof(buf)), 0);
	CHECK_ERR("sending to a closed peer fails with EPIPE (MSG_NOSIGNAL)",
	    rump_sys_sendto(sv[0], "x", 1, NB_MSG_NOSIGNAL, NULL, 0), RUMP_EPIPE);
	CHECK_ERR("getpeername after the peer closed fails with ENOTCONN",
	    rump_sys_getpeername(sv[0], NULL, NULL), RUMP_ENOTCONN);
	rump_sys_close(sv[0]);

	CHECK_EQ("socketpair(SOCK_STREAM|SOCK_NOSIGPIPE)",
	    rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM | NB_NOSIGPIPE, 0, sv), 0);
	rump_sys_close(sv[1]);
	CHECK_ERR("write to the closed peer: EPIPE and no SIGPIPE (the process lives)",
	    rump_sys_write(sv[0], "x", 1), RUMP_EPIPE);
	rump_sys_close(sv[0]);
	CHECK_EQ("socketpair(SOCK_STREAM)", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	{
		int one = 1;
		rump_sys_setsockopt(sv[0], NB_SOL_SOCKET, NB_SO_NOSIGPIPE, &one, sizeof(one));
	}
	rump_sys_close(sv[1]);
	CHECK_ERR("SO_NOSIGPIPE: write to the closed peer gives EPIPE without a signal",
	    rump_sys_write(sv[0], "x", 1), RUMP_EPIPE);
	rump_sys_close(sv[0]);

	/* MSG_WAITALL */
	CHECK_EQ("socketpair for MSG_WAITALL", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	rump_sys_write(sv[0], "abc", 3);
	rump_sys_write(sv[0], "def", 3);
	rump_sys_shutdown(sv[0], NB_SHUT_WR);
	CHECK_EQ("MSG_WAITALL for 10 bytes gets all 6 before end of file",
	    rump_sys_recvfrom(sv[1], buf, 10, NB_MSG_WAITALL, NULL, NULL), 6);
	CHECK_MEM("... \"abcdef\"", buf, "abcdef", 6);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);
}

static void
test_dgram_seqpacket(void)
{
	int sv[2], s, c;
	char buf[64], big[3000];
	struct nb_sockaddr_un sun, from;
	socklen_t len, flen;
	struct nb_msghdr m;
	struct iovec iov;

	CHECK_EQ("socketpair(AF_LOCAL, SOCK_DGRAM)",
	    rump_sys_socketpair(NB_AF_LOCAL, NB_DGRAM, 0, sv), 0);
	CHECK_EQ("send a 3-byte datagram", rump_sys_write(sv[0], "one", 3), 3);
	CHECK_EQ("send a 5-byte datagram", rump_sys_write(sv[0], "three", 5), 5);
	CHECK_EQ("FIONREAD is the first datagram's 3",
	    rump_sys_ioctl(sv[1], NB_FIONREAD, &c) == 0 ? c : -1, 3);
	CHECK_EQ("a 64-byte read gets only the first datagram (3)",
	    rump_sys_read(sv[1], buf, sizeof(buf)), 3);
	memset(&m, 0, sizeof(m));
	iov.iov_base = buf;
	iov.iov_len = 2;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ("recvmsg with 2 bytes of room gets 2 of the 5", rump_sys_recvmsg(sv[1],
	    (void *)&m, 0), 2);
	CHECK_EQ("... msg_flags says MSG_TRUNC", m.msg_flags, NB_MSG_TRUNC);
	CHECK_ERR("... and the rest is gone: MSG_DONTWAIT gives EAGAIN",
	    rump_sys_recvfrom(sv[1], buf, sizeof(buf), NB_MSG_DONTWAIT, NULL, NULL), RUMP_EAGAIN);
	memset(big, 'b', sizeof(big));
	CHECK_ERR("a 3000-byte datagram (over SO_SNDBUF 2048) fails with EMSGSIZE",
	    rump_sys_write(sv[0], big, sizeof(big)), RUMP_EMSGSIZE);
	CHECK_EQ("a 2048-byte datagram goes", rump_sys_write(sv[0], big, 2048), 2048);
	CHECK_EQ("... and arrives whole", rump_sys_read(sv[1], big, sizeof(big)), 2048);
	CHECK_EQ("a zero-length datagram goes", rump_sys_write(sv[0], big, 0), 0);
	CHECK_EQ("... and reads as 0 bytes", rump_sys_read(sv[1], big, sizeof(big)), 0);
	rump_sys_close(sv[0]);
	CHECK_ERR("after the peer closed, a datagram send reports ECONNRESET",
	    rump_sys_write(sv[1], "x", 1), RUMP_ECONNRESET);
	CHECK_ERR("... and then ENOTCONN", rump_sys_write(sv[1], "x", 1), RUMP_ENOTCONN);
	rump_sys_close(sv[1]);

	/* bound datagram sockets with sendto/recvfrom */
	s = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
	c = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
	len = mkaddr(&sun, "/tmp/dg.srv");
	CHECK_EQ("bind a datagram socket to /tmp/dg.srv", rump_sys_bind(s, SA(&sun), len), 0);
	len = mkaddr(&sun, "/tmp/dg.cli");
	CHECK_EQ("bind another to /tmp/dg.cli", rump_sys_bind(c, SA(&sun), len), 0);
	len = mkaddr(&sun, "/tmp/dg.srv");
	CHECK_EQ("sendto /tmp/dg.srv", rump_sys_sendto(c, "ping", 4, 0, SA(&sun), len), 4);
	flen = sizeof(from);
	memset(&from, 0, sizeof(from));
	CHECK_EQ("recvfrom gets it", rump_sys_recvfrom(s, buf, sizeof(buf), 0, SA(&from), &flen), 4);
	CHECK_EQ("... the sender's name length is bind's 2+11+1", flen, 14);
	CHECK_STR("... the sender's name is /tmp/dg.cli", from.sun_path, "/tmp/dg.cli");
	CHECK_EQ("... sun_len 14", from.sun_len, 14);
	CHECK_ERR("send without an address on an unconnected datagram socket: ENOTCONN",
	    rump_sys_write(c, "x", 1), RUMP_ENOTCONN);
	CHECK_EQ("connect the datagram socket", rump_sys_connect(c, SA(&sun), len), 0);
	CHECK_EQ("now write works", rump_sys_write(c, "pong", 4), 4);
	CHECK_EQ("... and arrives", rump_sys_read(s, buf, sizeof(buf)), 4);
	CHECK_ERR("sendto with an address on a connected datagram socket: EISCONN",
	    rump_sys_sendto(c, "x", 1, 0, SA(&sun), len), RUMP_EISCONN);
	len = mkaddr(&sun, "/tmp/dg.none");
	rump_sys_close(c);
	c = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
	CHECK_ERR("sendto a missing path: ENOENT", rump_sys_sendto(c, "x", 1, 0, SA(&sun), len),
	    RUMP_ENOENT);
	rump_sys_close(c);
	rump_sys_close(s);

	/* seqpacket */
	CHECK_EQ("socketpair(AF_LOCAL, SOCK_SEQPACKET)",
	    rump_sys_socketpair(NB_AF_LOCAL, NB_SEQPACKET, 0, sv), 0);
	CHECK_EQ("SO_TYPE SOCK_SEQPACKET", getint(sv[0], NB_SO_TYPE), NB_SEQPACKET);
	CHECK_EQ("send record \"ab\"", rump_sys_write(sv[0], "ab", 2), 2);
	CHECK_EQ("send record \"cde\"", rump_sys_write(sv[0], "cde", 3), 3);
	CHECK_EQ("read gets the first record only (2)", rump_sys_read(sv[1], buf, sizeof(buf)), 2);
	CHECK_EQ("read gets the second (3)", rump_sys_read(sv[1], buf, sizeof(buf)), 3);
	CHECK_MEM("... \"cde\"", buf, "cde", 3);
	CHECK_EQ("send a record with MSG_EOR", rump_sys_sendto(sv[0], "eor", 3, 0x8, NULL, 0), 3);
	CHECK_EQ("send one without", rump_sys_write(sv[0], "no", 2), 2);
	memset(&m, 0, sizeof(m));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	CHECK_EQ("recvmsg the first", rump_sys_recvmsg(sv[1], (void *)&m, 0), 3);
	CHECK_EQ("... msg_flags MSG_EOR", m.msg_flags, 0x8);
	CHECK_EQ("recvmsg the second", rump_sys_recvmsg(sv[1], (void *)&m, 0), 2);
	CHECK_EQ("... msg_flags 0", m.msg_flags, 0);
	rump_sys_close(sv[0]);
	CHECK_EQ("after the peer closed: end of file", rump_sys_read(sv[1], buf, sizeof(buf)), 0);
	CHECK_ERR("... and sends fail with EPIPE", rump_sys_sendto(sv[1], "x", 1, NB_MSG_NOSIGNAL,
	    NULL, 0), RUMP_EPIPE);
	rump_sys_close(sv[1]);
}

static void
test_bind_connect(void)
{
	int l, c, a, a2, s2, flags;
	struct nb_sockaddr_un sun, got;
	socklen_t len, glen;
	struct rump_stat st;
	char buf[16];

	l = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	len = mkaddr(&sun, "/tmp/srv.sock");
	CHECK_ERR("listen on an unbound socket fails with EINVAL", rump_sys_listen(l, 5),
	    RUMP_EINVAL);
	CHECK_EQ("bind to /tmp/srv.sock", rump_sys_bind(l, SA(&sun), len), 0);
	CHECK_EQ("stat of /tmp/srv.sock", rump_sys_stat("/tmp/srv.sock", (void *)&st), 0);
	CHECK_EQ("... is S_IFSOCK", st.st_mode & RUMP_S_IFMT, RUMP_S_IFSOCK);
	CHECK_ERR("binding again fails with EINVAL", rump_sys_bind(l, SA(&sun), len), RUMP_EINVAL);
	s2 = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	CHECK_ERR("another socket binding the same path: EADDRINUSE",
	    rump_sys_bind(s2, SA(&sun), len), RUMP_EADDRINUSE);
	len = mkaddr(&sun, "/nonexistent/dir/s");
	CHECK_ERR("bind in a missing directory: ENOENT", rump_sys_bind(s2, SA(&sun), len),
	    RUMP_ENOENT);
	len = mkaddr(&sun, "/tmp/srv.sock");
	CHECK_ERR("connect before listen: ECONNREFUSED", rump_sys_connect(s2, SA(&sun), len),
	    RUMP_ECONNREFUSED);
	CHECK_EQ("listen(5)", rump_sys_listen(l, 5), 0);
	CHECK_EQ("SO_ACCEPTCONN is 1", getint(l, NB_SO_ACCEPTCONN), 1);
	flags = rump_sys_fcntl(l, NB_F_GETFL, 0);
	rump_sys_fcntl(l, 4 /* F_SETFL */, (void *)(intptr_t)(flags | RUMP_O_NONBLOCK));
	CHECK_ERR("non-blocking accept with nothing queued: EAGAIN",
	    rump_sys_accept(l, NULL, NULL), RUMP_EAGAIN);
	rump_sys_fcntl(l, 4 /* F_SETFL */, (void *)(intptr_t)flags);
	len = mkaddr(&sun, "/tmp/cli.sock");
	CHECK_EQ("bind the client to /tmp/cli.sock", rump_sys_bind(s2, SA(&sun), len), 0);
	len = mkaddr(&sun, "/tmp/srv.sock");
	CHECK_EQ("connect to the listener", rump_sys_connect(s2, SA(&sun), len), 0);
	CHECK_ERR("connect again: EISCONN", rump_sys_connect(s2, SA(&sun), len), RUMP_EISCONN);
	{
		struct pollfd pfd = { l, NB_POLLIN, 0 };
		CHECK_EQ("poll: the listener is readable", rump_sys_poll((void *)&pfd, 1, 0), 1);
	}
	glen = sizeof(got);
	memset(&got, 0, sizeof(got));
	a = rump_sys_accept(l, SA(&got), &glen);
	CHECK_GE("accept", a, 0);
	CHECK_EQ("... the peer's name length is its bind length 2+13+1", glen, 16);
	CHECK_STR("... the peer's name is /tmp/cli.sock", got.sun_path, "/tmp/cli.sock");
	glen = sizeof(got);
	memset(&got, 0, sizeof(got));
	CHECK_EQ("getsockname of the accepted socket", rump_sys_getsockname(a, SA(&got), &glen), 0);
	CHECK_STR("... is the listener's /tmp/srv.sock", got.sun_path, "/tmp/srv.sock");
	CHECK_EQ("... sun_len 16", got.sun_len, 16);
	glen = sizeof(got);
	memset(&got, 0, sizeof(got));
	CHECK_EQ("getpeername of the client", rump_sys_getpeername(s2, SA(&got), &glen), 0);
	CHECK_STR("... is /tmp/srv.sock", got.sun_path, "/tmp/srv.sock");
	glen = 4;
	memset(&got, 0, sizeof(got));
	CHECK_EQ("getsockname into 4 bytes", rump_sys_getsockname(s2, SA(&got), &glen), 0);
	CHECK_EQ("... reports the full length 16", glen, 16);
	CHECK_TRUE("... copied only 4 bytes", got.sun_path[0] == '/' && got.sun_path[1] == 't' &&
	    got.sun_path[2] == 0);
	CHECK_EQ("client writes", rump_sys_write(s2, "hi", 2), 2);
	CHECK_EQ("server reads", rump_sys_read(a, buf, sizeof(buf)), 2);

	/* paccept flags */
	c = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	CHECK_EQ("a second client connects", rump_sys_connect(c, SA(&sun), len), 0);
	a2 = rump_sys_paccept(l, NULL, NULL, NULL, NB_NONBLOCK | NB_CLOEXEC);
	CHECK_GE("paccept(SOCK_NONBLOCK|SOCK_CLOEXEC)", a2, 0);
	CHECK_EQ("... FD_CLOEXEC", rump_sys_fcntl(a2, NB_F_GETFD, 0), 1);
	CHECK_EQ("... O_NONBLOCK", rump_sys_fcntl(a2, NB_F_GETFL, 0), RUMP_O_RDWR | RUMP_O_NONBLOCK);
	CHECK_ERR("... a read with nothing there: EAGAIN", rump_sys_read(a2, buf, 1), RUMP_EAGAIN);
	glen = sizeof(got);
	memset(&got, 0xa5, sizeof(got));
	CHECK_EQ("getpeername of the unnamed client's connection", rump_sys_getpeername(a2,
	    SA(&got), &glen), 0);
	CHECK_EQ("... length 2", glen, 2);
	rump_sys_close(c);
	rump_sys_close(a2);
	rump_sys_close(a);
	rump_sys_close(s2);

	/* connect errors */
	c = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	len = mkaddr(&sun, "/tmp/missing.sock");
	CHECK_ERR("connect to a missing path: ENOENT", rump_sys_connect(c, SA(&sun), len),
	    RUMP_ENOENT);
	{
		int fd = rump_sys_open("/tmp/plain", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
		rump_sys_close(fd);
	}
	len = mkaddr(&sun, "/tmp/plain");
	CHECK_ERR("connect to a regular file: ENOTSOCK", rump_sys_connect(c, SA(&sun), len),
	    RUMP_ENOTSOCK);
	len = mkaddr(&sun, "/tmp/srv.sock");
	s2 = rump_sys_socket(NB_AF_LOCAL, NB_SEQPACKET, 0);
	CHECK_ERR("a seqpacket socket connecting to a stream listener: EPROTOTYPE",
	    rump_sys_connect(s2, SA(&sun), len), RUMP_EPROTOTYPE);
	rump_sys_close(s2);
	rump_sys_close(l);
	CHECK_ERR("connect after the listener closed: ECONNREFUSED",
	    rump_sys_connect(c, SA(&sun), len), RUMP_ECONNREFUSED);
	CHECK_EQ("the name stays in the file system", rump_sys_stat("/tmp/srv.sock",
	    (void *)&st), 0);
	CHECK_EQ("unlink it", rump_sys_unlink("/tmp/srv.sock"), 0);
	s2 = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	mkaddr(&sun, "/tmp/full.sock");
	CHECK_EQ("bind with namelen sizeof(struct sockaddr_un) (106)",
	    rump_sys_bind(s2, SA(&sun), sizeof(sun)), 0);
	glen = sizeof(got);
	memset(&got, 0, sizeof(got));
	CHECK_EQ("getsockname", rump_sys_getsockname(s2, SA(&got), &glen), 0);
	CHECK_EQ("... reports length 106", glen, 106);
	CHECK_EQ("... sun_len 106", got.sun_len, 106);
	CHECK_STR("... sun_path /tmp/full.sock", got.sun_path, "/tmp/full.sock");
	{
		struct rump_stat sst;
		CHECK_EQ("fstat of a socket", rump_sys_fstat(s2, (void *)&sst), 0);
		CHECK_TRUE("... st_dev is NODEV, st_mode S_IFSOCK|0666, st_ino set",
		    sst.st_dev == (uint64_t)-1 && sst.st_mode == (RUMP_S_IFSOCK | 0666) &&
		    sst.st_ino != 0);
		CHECK_EQ("... st_blksize is SO_SNDBUF (4096)", sst.st_blksize, 4096);
	}
	rump_sys_close(s2);
	rump_sys_close(c);
}

/* stream connect/accept and descriptor passing across rump processes */
static void
test_processes(void)
{
	struct lwp *parent, *child;
	int l, c, a, p[2], fd, mf = -1, sv[2];
	struct nb_sockaddr_un sun;
	socklen_t len;
	char buf[16];

	parent = rump_pub_lwproc_curlwp();
	l = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	len = mkaddr(&sun, "/tmp/xproc.sock");
	REQUIRE("bind and listen in process 1", rump_sys_bind(l, SA(&sun), len) == 0 &&
	    rump_sys_listen(l, 1) == 0);
	REQUIRE("rfork(RUMP_RFCFDG) a second process", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	child = rump_pub_lwproc_curlwp();
	c = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	CHECK_EQ("the child's socket is its descriptor 0 (fresh table)", c, 0);
	CHECK_EQ("the child connects to /tmp/xproc.sock", rump_sys_connect(c, SA(&sun), len), 0);
	rump_pub_lwproc_switch(parent);
	a = rump_sys_accept(l, NULL, NULL);
	CHECK_GE("the parent accepts", a, 0);
	{
		struct { int32_t pid; uint32_t euid, egid; } id;
		socklen_t idlen = sizeof(id);
		int cpid, ppid = rump_sys_getpid();
		memset(&id, 0xff, sizeof(id));
		CHECK_EQ("getsockopt(0, LOCAL_PEEREID) on the accepted socket",
		    rump_sys_getsockopt(a, 0, 3, &id, &idlen), 0);
		rump_pub_lwproc_switch(child);
		cpid = rump_sys_getpid();
		CHECK_TRUE("... names the child process, euid 0, egid 0", id.pid == cpid &&
		    id.euid == 0 && id.egid == 0 && idlen == 12);
		memset(&id, 0xff, sizeof(id));
		(void)ppid;
		rump_pub_lwproc_switch(parent);
		CHECK_ERR("LOCAL_PEEREID on the listener: EINVAL (no connection set it)",
		    rump_sys_getsockopt(l, 0, 3, &id, &idlen), RUMP_EINVAL);
	}
	CHECK_EQ("a pipe in the parent", rump_sys_pipe(p), 0);
	CHECK_EQ("sendmsg passes the pipe's read end (SCM_RIGHTS)", send_fd(a, p[0], 0), 1);
	rump_sys_close(p[0]);
	CHECK_EQ("write into the pipe", rump_sys_write(p[1], "piped", 5), 5);
	rump_pub_lwproc_switch(child);
	fd = recv_fd(c, NB_MSG_CMSG_CLOEXEC, &mf);
	CHECK_EQ("the child receives it as its descriptor 1", fd, 1);
	CHECK_EQ("... msg_flags 0", mf, 0);
	CHECK_EQ("... MSG_CMSG_CLOEXEC set FD_CLOEXEC", rump_sys_fcntl(fd, NB_F_GETFD, 0), 1);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("the child reads the pipe through it", rump_sys_read(fd, buf, sizeof(buf)), 5);
	CHECK_MEM("... \"piped\"", buf, "piped", 5);
	rump_pub_lwproc_switch(parent);
	CHECK_EQ("a socketpair in the parent", rump_sys_socketpair(NB_AF_LOCAL, NB_DGRAM, 0, sv), 0);
	CHECK_EQ("pass one end of it too", send_fd(a, sv[1], 0), 1);
	rump_sys_close(sv[1]);
	rump_pub_lwproc_switch(child);
	fd = recv_fd(c, 0, &mf);
	CHECK_EQ("the child gets descriptor 2", fd, 2);
	CHECK_EQ("... without FD_CLOEXEC", rump_sys_fcntl(fd, NB_F_GETFD, 0), 0);
	CHECK_EQ("the child writes a datagram into it", rump_sys_write(fd, "dgram", 5), 5);
	rump_pub_lwproc_switch(parent);
	CHECK_EQ("the parent reads it from the other end", rump_sys_read(sv[0], buf, sizeof(buf)), 5);
	rump_sys_close(sv[0]);
	{
		union { char b[24]; uint64_t al; } u;
		struct nb_cmsghdr *cm = (void *)u.b;
		struct nb_msghdr m;
		struct iovec iov = { (void *)"x", 1 };
		memset(&u, 0, sizeof(u));
		cm->cmsg_len = 20;
		cm->cmsg_level = NB_SOL_SOCKET;
		cm->cmsg_type = NB_SCM_RIGHTS;
		fd = 77;
		memcpy(u.b + 16, &fd, 4);
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = u.b;
		m.msg_controllen = 20;
		CHECK_ERR("SCM_RIGHTS naming a closed descriptor: EBADF",
		    rump_sys_sendmsg(a, (void *)&m, 0), RUMP_EBADF);
	}
	CHECK_EQ("pass the pipe's write end", send_fd(a, p[1], 0), 1);
	rump_pub_lwproc_switch(child);
	{
		union { char b[8]; uint64_t al; } u;
		struct nb_msghdr m;
		struct iovec iov;
		iov.iov_base = buf;
		iov.iov_len = 1;
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		CHECK_EQ("recvmsg with a control buffer too small for the rights", rump_sys_recvmsg(c,
		    (void *)&m, 0), 1);
		CHECK_EQ("... MSG_CTRUNC", m.msg_flags, NB_MSG_CTRUNC);
		CHECK_EQ("... msg_controllen 0", m.msg_controllen, 0);
	}
	rump_sys_close(c);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	CHECK_EQ("after the child process exits, the parent reads end of file",
	    rump_sys_read(a, buf, sizeof(buf)), 0);
	rump_sys_close(a);
	rump_sys_close(l);
	rump_sys_close(p[1]);
}

/* vector I/O, select, names through sendmsg/recvmsg, timeouts */
static void
test_more(void)
{
	int sv[2], s, c, fd, mf;
	char a[4], b[6], buf[32];
	struct iovec iov[2];
	struct nb_msghdr m;
	struct nb_sockaddr_un sun, from;
	socklen_t len;

	CHECK_EQ("socketpair for vector I/O", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	iov[0].iov_base = (void *)"abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = (void *)"defgh";
	iov[1].iov_len = 5;
	CHECK_EQ("writev of 3+5 bytes", rump_sys_writev(sv[0], (void *)iov, 2), 8);
	iov[0].iov_base = a;
	iov[0].iov_len = 4;
	iov[1].iov_base = b;
	iov[1].iov_len = 6;
	CHECK_EQ("readv gets 8", rump_sys_readv(sv[1], (void *)iov, 2), 8);
	CHECK_TRUE("... split as 4 and 4", memcmp(a, "abcd", 4) == 0 && memcmp(b, "efgh", 4) == 0);
	{
		fd_set rs;
		struct timeval tv = { 0, 0 };
		FD_ZERO(&rs);
		FD_SET(sv[1], &rs);
		CHECK_EQ("select: an empty socket is not readable",
		    rump_sys_select(sv[1] + 1, (void *)&rs, NULL, NULL, (void *)&tv), 0);
		rump_sys_write(sv[0], "z", 1);
		FD_ZERO(&rs);
		FD_SET(sv[1], &rs);
		CHECK_EQ("select: after a write it is", rump_sys_select(sv[1] + 1, (void *)&rs, NULL,
		    NULL, (void *)&tv), 1);
		rump_sys_read(sv[1], buf, sizeof(buf));
	}
	{
		int64_t tv[2] = { 0, 20000 };	/* struct timeval: 20 ms */
		CHECK_EQ("setsockopt(SO_RCVTIMEO, 20 ms)", rump_sys_setsockopt(sv[1], NB_SOL_SOCKET,
		    0x100c, tv, sizeof(tv)), 0);
		CHECK_ERR("a read with nothing coming times out with EAGAIN",
		    rump_sys_read(sv[1], buf, 1), RUMP_EAGAIN);
	}
	/* descriptors mark message boundaries in a stream */
	fd = rump_sys_open("/tmp/f", RUMP_O_CREAT | RUMP_O_RDWR, 0644);
	rump_sys_write(sv[0], "xy", 2);
	CHECK_EQ("send a descriptor after 2 plain bytes", send_fd(sv[0], fd, 0), 1);
	rump_sys_write(sv[0], "z", 1);
	CHECK_EQ("a read stops before the bytes that carry descriptors (2)",
	    rump_sys_read(sv[1], buf, sizeof(buf)), 2);
	c = recv_fd(sv[1], 0, &mf);
	CHECK_GE("the next recvmsg gets the descriptor", c, 0);
	CHECK_EQ("... and the trailing byte is still there", rump_sys_read(sv[1], buf, sizeof(buf)), 1);
	{
		struct rump_stat st1, st2;
		CHECK_TRUE("... it is the same file (same inode)", rump_sys_fstat(fd, (void *)&st1) == 0 &&
		    rump_sys_fstat(c, (void *)&st2) == 0 && st1.st_ino == st2.st_ino);
	}
	rump_sys_close(c);
	rump_sys_close(fd);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);

	/* datagram names through sendmsg and recvmsg */
	s = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
	c = rump_sys_socket(NB_AF_LOCAL, NB_DGRAM, 0);
	len = mkaddr(&sun, "/tmp/m.srv");
	rump_sys_bind(s, SA(&sun), len);
	len = mkaddr(&from, "/tmp/m.cli");
	rump_sys_bind(c, SA(&from), len);
	len = mkaddr(&sun, "/tmp/m.srv");
	iov[0].iov_base = (void *)"msg";
	iov[0].iov_len = 3;
	memset(&m, 0, sizeof(m));
	m.msg_name = &sun;
	m.msg_namelen = len;
	m.msg_iov = iov;
	m.msg_iovlen = 1;
	CHECK_EQ("sendmsg with msg_name to /tmp/m.srv", rump_sys_sendmsg(c, (void *)&m, 0), 3);
	memset(&from, 0, sizeof(from));
	iov[0].iov_base = buf;
	iov[0].iov_len = sizeof(buf);
	memset(&m, 0, sizeof(m));
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	m.msg_iov = iov;
	m.msg_iovlen = 1;
	CHECK_EQ("recvmsg with MSG_PEEK", rump_sys_recvmsg(s, (void *)&m, NB_MSG_PEEK), 3);
	m.msg_namelen = sizeof(from);
	CHECK_EQ("recvmsg gets it again", rump_sys_recvmsg(s, (void *)&m, 0), 3);
	CHECK_EQ("... msg_namelen 2+10+1", m.msg_namelen, 13);
	CHECK_STR("... msg_name is /tmp/m.cli", from.sun_path, "/tmp/m.cli");
	CHECK_EQ("... msg_flags 0", m.msg_flags, 0);
	CHECK_EQ("recvfrom with MSG_DONTWAIT on the drained socket: EAGAIN",
	    rump_sys_recvfrom(s, buf, sizeof(buf), NB_MSG_DONTWAIT, NULL, NULL) == -1 ? errno : 0,
	    RUMP_EAGAIN);
	rump_sys_close(c);
	rump_sys_close(s);

	/* sendmmsg, recvmmsg */
	{
		struct nb_mmsghdr { struct nb_msghdr hdr; unsigned int len; } mm[5];
		struct iovec v[5];
		char rb[5][8];
		int i;
		const char *words[3] = { "a", "bb", "ccc" };

		CHECK_EQ("struct mmsghdr is 56 bytes", sizeof(struct nb_mmsghdr), 56);
		CHECK_EQ("socketpair(SOCK_DGRAM) for the mmsg calls",
		    rump_sys_socketpair(NB_AF_LOCAL, NB_DGRAM, 0, sv), 0);
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < 3; i++) {
			v[i].iov_base = (void *)words[i];
			v[i].iov_len = strlen(words[i]);
			mm[i].hdr.msg_iov = &v[i];
			mm[i].hdr.msg_iovlen = 1;
		}
		CHECK_EQ("sendmmsg of 3 datagrams returns 3", rump_sys_sendmmsg(sv[0], (void *)mm, 3, 0), 3);
		CHECK_TRUE("... msg_len 1, 2, 3", mm[0].len == 1 && mm[1].len == 2 && mm[2].len == 3);
		memset(mm, 0, sizeof(mm));
		for (i = 0; i < 5; i++) {
			v[i].iov_base = rb[i];
			v[i].iov_len = sizeof(rb[i]);
			mm[i].hdr.msg_iov = &v[i];
			mm[i].hdr.msg_iovlen = 1;
		}
		CHECK_EQ("recvmmsg(vlen 5, MSG_WAITFORONE) returns the 3 queued",
		    rump_sys_recvmmsg(sv[1], (void *)mm, 5, 0x2000, NULL), 3);
		CHECK_TRUE("... msg_len 1, 2, 3 and the bytes", mm[0].len == 1 && mm[1].len == 2 &&
		    mm[2].len == 3 && memcmp(rb[2], "ccc", 3) == 0);
		CHECK_ERR("recvmmsg with MSG_DONTWAIT on the empty socket: EAGAIN",
		    rump_sys_recvmmsg(sv[1], (void *)mm, 5, NB_MSG_DONTWAIT, NULL), RUMP_EAGAIN);
		rump_sys_close(sv[0]);
		rump_sys_close(sv[1]);
	}
}

/* kqueue on sockets: NetBSD's filt_soread, filt_sowrite, filt_solisten */
struct nb_kevent {
	uintptr_t ident;
	uint32_t filter;
	uint32_t flags;
	uint32_t fflags;
	int64_t data;
	intptr_t udata;
};

static int
kq_add(int kq, int fd, uint32_t filter)
{
	struct nb_kevent k;

	memset(&k, 0, sizeof(k));
	k.ident = (uintptr_t)fd;
	k.filter = filter;
	k.flags = 0x1 | 0x20;	/* EV_ADD | EV_CLEAR */
	return rump_sys_kevent(kq, (const void *)&k, 1, NULL, 0, NULL);
}

static int
kq_peek(int kq, struct nb_kevent *ev)
{
	struct rump_timespec ts = { 0, 0 };

	memset(ev, 0, sizeof(*ev));
	return rump_sys_kevent(kq, NULL, 0, (void *)ev, 1, (void *)&ts);
}

static void
test_kqueue(void)
{
	int kq, sv[2], l, c;
	struct nb_kevent ev;
	struct nb_sockaddr_un sun;
	socklen_t len;

	kq = rump_sys_kqueue();
	REQUIRE("kqueue", kq >= 0);
	CHECK_EQ("socketpair for kqueue", rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv), 0);
	CHECK_EQ("EVFILT_READ on a socket", kq_add(kq, sv[1], 0), 0);
	CHECK_EQ("... nothing to read: no event", kq_peek(kq, &ev), 0);
	rump_sys_write(sv[0], "12345", 5);
	CHECK_EQ("after 5 bytes: one event", kq_peek(kq, &ev), 1);
	CHECK_TRUE("... EVFILT_READ, data 5, no EV_EOF", ev.filter == 0 && ev.data == 5 &&
	    (ev.flags & 0x8000) == 0);
	rump_sys_shutdown(sv[0], NB_SHUT_WR);
	CHECK_EQ("after the peer's SHUT_WR: an event", kq_peek(kq, &ev), 1);
	CHECK_TRUE("... with EV_EOF, data still 5", (ev.flags & 0x8000) != 0 && ev.data == 5);
	CHECK_EQ("EVFILT_WRITE on the other end", kq_add(kq, sv[1], 1), 0);
	rump_sys_close(sv[0]);
	CHECK_EQ("after the peer closed: events", kq_peek(kq, &ev) >= 1, 1);
	rump_sys_close(sv[1]);

	l = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	len = mkaddr(&sun, "/tmp/kq.sock");
	rump_sys_bind(l, SA(&sun), len);
	rump_sys_listen(l, 5);
	CHECK_EQ("EVFILT_READ on a listening socket", kq_add(kq, l, 0), 0);
	CHECK_EQ("... no connection: no event", kq_peek(kq, &ev), 0);
	c = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
	rump_sys_connect(c, SA(&sun), len);
	CHECK_EQ("after a connect: one event", kq_peek(kq, &ev), 1);
	CHECK_EQ("... data is the 1 queued connection", ev.data, 1);
	rump_sys_close(c);
	rump_sys_close(l);
	rump_sys_close(kq);
}

int
main(void)
{
	h_begin("40_socket_local");
	H_BOOT();
	test_create();
	test_socketpair();
	test_dgram_seqpacket();
	test_bind_connect();
	test_processes();
	test_more();
	test_kqueue();
	return h_end();
}
