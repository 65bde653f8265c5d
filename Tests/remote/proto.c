/*
 * proto: the sysproxy protocol spoken byte by byte, without librumpclient,
 * against the server $RUMP_SERVER names (sp_wire.h has the frame layout).
 *
 * Well-formed traffic: the banner, a guest handshake (RESP HANDSHAKE, body
 * int 0), syscalls with no memory (getpid 20, getppid 39, an unknown number:
 * ENOSYS 78), and syscalls whose memory the server must fetch or store
 * through the client (open 5: COPYINSTR; write 4: COPYIN; fstat 440: a
 * 152-byte COPYOUT of NetBSD's struct stat).
 *
 * Malformed traffic, each on a connection of its own; the server must drop
 * that client and go on serving the others (a fresh client then gets a
 * correct getpid):
 *   - a request type nobody knows (42): ERROR MALFORMED_REQUEST (7), closed;
 *   - a first frame that is not a handshake: ERROR AUTH (2), closed;
 *   - a length below the 24-byte header, and one of 1 << 40: closed;
 *   - a client that vanishes while the server waits for its COPYIN reply
 *     (its process must go away too), in the middle of a frame, in the
 *     middle of a header, or right after connecting.
 *
 * usage: proto [CASE-NAME]
 *        proto --probe   (exit 0 once the server answers with its banner)
 */
#include "remote.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include "sp_wire.h"

#define IO_TIMEOUT_MS	5000

/* Addresses in the client's "memory" the server is made to ask about. */
#define ADDR_PATH	0x10000ull
#define ADDR_BUF	0x20000ull
#define ADDR_STAT	0x30000ull

static const char *server;

/* Connect to $RUMP_SERVER (unix://path or tcp://a.b.c.d:port); -1 on failure. */
static int
sp_connect(void)
{
	int fd;

	if (strncmp(server, "unix://", 7) == 0) {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(server + 7) >= sizeof(sun.sun_path))
			return -1;
		strcpy(sun.sun_path, server + 7);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (strncmp(server, "tcp://", 6) == 0) {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(server + 6, ':');
		int one = 1;

		if (colon == NULL || (size_t)(colon - (server + 6)) >= sizeof(host))
			return -1;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - (server + 6)),
		    server + 6);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			return -1;
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			return -1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	return -1;
}

/* Read n bytes: 0 done, 1 the peer closed, 2 timed out, 3 other error. */
static int
recv_n(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t got;
		int rv = poll(&pfd, 1, IO_TIMEOUT_MS);

		if (rv < 0 && errno == EINTR)
			continue;
		if (rv == 0)
			return 2;
		if (rv < 0)
			return 3;
		got = recv(fd, p, n, 0);
		if (got == 0 || (got < 0 && errno == ECONNRESET))
			return 1;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return 3;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

static int
send_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The banner line, NUL-terminated, at most SP_MAXBANNER bytes; 0 on success. */
static int
recv_banner(int fd, char *out)
{
	size_t n = 0;

	while (n < SP_MAXBANNER) {
		if (recv_n(fd, out + n, 1) != 0)
			break;
		if (out[n++] == '\n') {
			out[n] = '\0';
			return 0;
		}
	}
	out[n] = '\0';
	return -1;
}

static int
send_frame(int fd, uint64_t reqno, int class, int type, uint32_t arg,
    const void *body, size_t bodylen)
{
	char buf[24 + 4096];
	struct sp_hdr h = {
		.len = sizeof(h) + bodylen, .reqno = reqno,
		.class = (uint16_t)class, .type = (uint16_t)type, .arg = arg,
	};

	if (bodylen > sizeof(buf) - sizeof(h))
		return -1;
	memcpy(buf, &h, sizeof(h));
	if (bodylen > 0)
		memcpy(buf + sizeof(h), body, bodylen);
	return send_all(fd, buf, sizeof(h) + bodylen);
}

/*
 * Receive a frame: its header and up to cap body bytes (*bodylen: how many
 * the frame had).  Returns recv_n's codes, or 4 for a length below 24.
 */
static int
recv_frame(int fd, struct sp_hdr *h, void *body, size_t cap, size_t *bodylen)
{
	char sink[4096];
	uint64_t left;
	int rv = recv_n(fd, h, sizeof(*h));

	if (rv != 0)
		return rv;
	if (h->len < sizeof(*h) || h->len > SP_MAXFRAME)
		return 4;
	left = h->len - sizeof(*h);
	*bodylen = (size_t)left;
	if (cap > left)
		cap = (size_t)left;
	if (cap > 0 && (rv = recv_n(fd, body, cap)) != 0)
		return rv;
	left -= cap;
	while (left > 0) {
		size_t k = left < sizeof(sink) ? (size_t)left : sizeof(sink);

		if ((rv = recv_n(fd, sink, k)) != 0)
			return rv;
		left -= k;
	}
	return 0;
}

/*
 * After a malformed frame: the connection must end within the timeout.
 * Frames sent before the close (an ERROR) are skipped; the first ERROR's
 * code goes to *error (-1: none).  Returns 1 if the server closed.
 */
static int
wait_closed(int fd, int *error)
{
	struct sp_hdr h;
	size_t bl;
	char body[64];
	int rv;

	*error = -1;
	for (;;) {
		rv = recv_frame(fd, &h, body, sizeof(body), &bl);
		if (rv == 1)
			return 1;
		if (rv != 0)	/* a timeout, or garbage instead of a frame */
			return 0;
		if (h.class == SP_ERROR && *error == -1)
			*error = (int)h.arg;
	}
}

/* Connect, read the banner, make a guest handshake; -1 on any failure. */
static int
guest(void)
{
	char banner[SP_MAXBANNER + 1], body[8];
	struct sp_hdr h;
	size_t bl;
	int fd = sp_connect();
	int32_t result;

	if (fd < 0)
		return -1;
	if (recv_banner(fd, banner) != 0 ||
	    send_frame(fd, 1, SP_REQ, SP_HANDSHAKE, SP_HANDSHAKE_GUEST,
	    "proto", 6) != 0 ||
	    recv_frame(fd, &h, body, sizeof(body), &bl) != 0 ||
	    h.class != SP_RESP || h.type != SP_HANDSHAKE || bl != 4) {
		close(fd);
		return -1;
	}
	memcpy(&result, body, 4);
	if (result != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The SYSCALL response to request reqno: its error and retval[0]; 0 or -1. */
static int
recv_sysresp(int fd, uint64_t reqno, int *error, int64_t *rv0)
{
	struct sp_hdr h;
	struct sp_sysresp r;
	size_t bl;

	memset(&r, 0, sizeof(r));
	if (recv_frame(fd, &h, &r, sizeof(r), &bl) != 0 || h.class != SP_RESP ||
	    h.type != SP_SYSCALL || h.reqno != reqno || bl != sizeof(r))
		return -1;
	*error = r.error;
	*rv0 = r.retval[0];
	return 0;
}

/* A syscall needing no client memory; 0 or -1 (no well-formed response). */
static int
syscall0(int fd, uint64_t reqno, int num, const void *args, size_t alen,
    int *error, int64_t *rv0)
{
	if (send_frame(fd, reqno, SP_REQ, SP_SYSCALL, (uint32_t)num, args,
	    alen) != 0)
		return -1;
	return recv_sysresp(fd, reqno, error, rv0);
}

/* A new client's getpid, or -1: the server still serves. */
static int64_t
fresh_getpid(void)
{
	int fd = guest(), error = -1;
	int64_t pid = -1;

	if (fd < 0)
		return -1;
	if (syscall0(fd, 2, 20, NULL, 0, &error, &pid) != 0 || error != 0)
		pid = -1;
	close(fd);
	return pid;
}

/* kill(pid, 0) from a fresh client: its error (0: the process exists). */
static int
fresh_kill0(int64_t pid)
{
	int64_t args[2] = { pid, 0 }, rv = 0;
	int fd = guest(), error = -1;

	if (fd < 0)
		return -1;
	if (syscall0(fd, 2, 37, args, sizeof(args), &error, &rv) != 0)
		error = -1;
	close(fd);
	return error;
}

#define CHECK_SERVES(after) \
	CHECK_GE(H_WHAT("after %s, a fresh client gets its pid", after), \
	    fresh_getpid(), 2)

int
main(int argc, char **argv)
{
	char banner[SP_MAXBANNER + 1], body[256];
	struct sp_hdr h;
	struct sp_copy cp;
	size_t bl;
	int fd, error, code, i;
	int64_t pid, v, args[3], filefd;
	int32_t hs;
	uint64_t reqno = 1;

	server = getenv("RUMP_SERVER");
	if (argc > 1 && strcmp(argv[1], "--probe") == 0) {
		/* For the runner: does a server listen there yet? */
		if (server == NULL || (fd = sp_connect()) < 0)
			return 1;
		return recv_banner(fd, banner) == 0 ? 0 : 1;
	}
	h_begin(argc > 1 ? argv[1] : "remote-proto");
	REQUIRE("RUMP_SERVER is set", server != NULL);

	/* Banner and handshake */
	fd = sp_connect();
	REQUIRE("connect to the server", fd >= 0);
	CHECK_EQ("the banner is one line", recv_banner(fd, banner), 0);
	CHECK_STR("the banner is RUMPSP-0.4-NetBSD-7.99.34/amd64", banner,
	    "RUMPSP-0.4-NetBSD-7.99.34/amd64\n");
	CHECK_EQ("send a guest handshake", send_frame(fd, reqno, SP_REQ,
	    SP_HANDSHAKE, SP_HANDSHAKE_GUEST, "proto", 6), 0);
	memset(&h, 0, sizeof(h));
	CHECK_EQ("a frame answers it",
	    recv_frame(fd, &h, body, sizeof(body), &bl), 0);
	CHECK_EQ("... of class RESP", h.class, SP_RESP);
	CHECK_EQ("... of type HANDSHAKE", h.type, SP_HANDSHAKE);
	CHECK_EQ("... echoing the request number", h.reqno, reqno);
	CHECK_EQ("... 28 bytes long (a 4-byte body)", h.len, 28);
	memcpy(&hs, body, 4);
	CHECK_EQ("... whose body is int 0", bl == 4 ? hs : -1, 0);

	/* Syscalls without client memory */
	reqno++;
	CHECK_EQ("getpid (20) gets a SYSCALL response",
	    syscall0(fd, reqno, 20, NULL, 0, &error, &pid), 0);
	CHECK_EQ("... with error 0", error, 0);
	CHECK_GE("... and a pid >= 2", pid, 2);
	reqno++;
	CHECK_EQ("getppid (39) gets a SYSCALL response",
	    syscall0(fd, reqno, 39, NULL, 0, &error, &v), 0);
	CHECK_EQ("... with parent 1", error == 0 ? v : -1, 1);
	reqno++;
	CHECK_EQ("syscall 1000 gets a SYSCALL response",
	    syscall0(fd, reqno, 1000, NULL, 0, &error, &v), 0);
	CHECK_EQ("... with error ENOSYS (78)", error, 78);

	/* open("/tmp/proto", O_RDWR|O_CREAT): the server fetches the path with
	 * COPYINSTR.  (Not /dev/null: it takes writes without reading them.) */
	reqno++;
	args[0] = (int64_t)ADDR_PATH;
	args[1] = RUMP_O_RDWR | RUMP_O_CREAT;
	args[2] = 0644;
	CHECK_EQ("send open (5) with a path pointer", send_frame(fd, reqno,
	    SP_REQ, SP_SYSCALL, 5, args, sizeof(args)), 0);
	memset(&h, 0, sizeof(h));
	memset(&cp, 0, sizeof(cp));
	CHECK_EQ("the server asks for the path",
	    recv_frame(fd, &h, &cp, sizeof(cp), &bl), 0);
	CHECK_TRUE("... with REQ COPYINSTR",
	    h.class == SP_REQ && h.type == SP_COPYINSTR);
	CHECK_TRUE("... at the path's address, for up to 1024 bytes",
	    bl == sizeof(cp) && cp.addr == ADDR_PATH && cp.len >= 10 &&
	    cp.len <= 1024);
	/* The reply to either copy-in request is a RESP of type COPYIN. */
	CHECK_EQ("answer with the string", send_frame(fd, h.reqno, SP_RESP,
	    SP_COPYIN, 0, "/tmp/proto", 11), 0);
	error = -1;
	v = -1;
	CHECK_EQ("then RESP SYSCALL for open",
	    recv_sysresp(fd, reqno, &error, &v), 0);
	CHECK_EQ("... error 0", error, 0);
	CHECK_GE("... a descriptor >= 3", v, 3);
	filefd = v;

	/* write(fd, buf, 6): the server fetches the buffer with COPYIN */
	reqno++;
	args[0] = filefd;
	args[1] = (int64_t)ADDR_BUF;
	args[2] = 6;
	CHECK_EQ("send write (4) with a buffer pointer", send_frame(fd, reqno,
	    SP_REQ, SP_SYSCALL, 4, args, sizeof(args)), 0);
	memset(&h, 0, sizeof(h));
	memset(&cp, 0, sizeof(cp));
	CHECK_EQ("the server asks for the buffer",
	    recv_frame(fd, &h, &cp, sizeof(cp), &bl), 0);
	CHECK_TRUE("... with REQ COPYIN", h.class == SP_REQ && h.type == SP_COPYIN);
	CHECK_TRUE("... of 6 bytes at the buffer's address",
	    bl == sizeof(cp) && cp.len == 6 && cp.addr == ADDR_BUF);
	CHECK_EQ("answer with the bytes", send_frame(fd, h.reqno, SP_RESP,
	    SP_COPYIN, 0, "hello\n", 6), 0);
	error = -1;
	v = -1;
	CHECK_EQ("then RESP SYSCALL for write",
	    recv_sysresp(fd, reqno, &error, &v), 0);
	CHECK_TRUE("... error 0, 6 bytes written", error == 0 && v == 6);

	/* fstat(fd, sb): the server stores NetBSD's struct stat with COPYOUT */
	reqno++;
	args[0] = filefd;
	args[1] = (int64_t)ADDR_STAT;
	CHECK_EQ("send fstat (440) with a stat pointer", send_frame(fd, reqno,
	    SP_REQ, SP_SYSCALL, 440, args, 2 * sizeof(args[0])), 0);
	memset(&h, 0, sizeof(h));
	memset(body, 0, sizeof(body));
	CHECK_EQ("the server sends the structure",
	    recv_frame(fd, &h, body, sizeof(body), &bl), 0);
	CHECK_TRUE("... with REQ COPYOUT", h.class == SP_REQ && h.type == SP_COPYOUT);
	memcpy(&cp, body, sizeof(cp));
	CHECK_TRUE("... of 152 bytes to the stat pointer",
	    bl == sizeof(cp) + 152 && cp.len == 152 && cp.addr == ADDR_STAT);
	{
		struct rump_stat sb;

		memcpy(&sb, body + sizeof(cp), sizeof(sb));
		CHECK_EQ("... st_mode says a regular file, mode 0644",
		    sb.st_mode, RUMP_S_IFREG | 0644);
		CHECK_EQ("... st_size is the 6 bytes written", sb.st_size, 6);
	}
	error = -1;
	CHECK_EQ("then RESP SYSCALL for fstat (no reply to COPYOUT)",
	    recv_sysresp(fd, reqno, &error, &v), 0);
	CHECK_EQ("... error 0", error, 0);

	/* An unknown request type ends the client. */
	reqno++;
	CHECK_EQ("send a request of unknown type 42",
	    send_frame(fd, reqno, SP_REQ, 42, 0, NULL, 0), 0);
	CHECK_EQ("the server closes the connection", wait_closed(fd, &code), 1);
	CHECK_EQ("... after an ERROR frame with MALFORMED_REQUEST (7)", code, 7);
	close(fd);
	CHECK_SERVES("an unknown request type");

	/* Not a handshake first: AUTH error */
	fd = sp_connect();
	REQUIRE("connect", fd >= 0 && recv_banner(fd, banner) == 0);
	CHECK_EQ("send getpid before any handshake",
	    send_frame(fd, 1, SP_REQ, SP_SYSCALL, 20, NULL, 0), 0);
	CHECK_EQ("the server closes the connection", wait_closed(fd, &code), 1);
	CHECK_EQ("... after an ERROR frame with AUTH (2)", code, 2);
	close(fd);
	CHECK_SERVES("a syscall before the handshake");

	/* Frame lengths that cannot be */
	for (i = 0; i < 3; i++) {
		static const uint64_t lens[] = { 10, 0, 1ull << 40 };
		struct sp_hdr bad = { .len = lens[i], .reqno = 2,
		    .class = SP_REQ, .type = SP_SYSCALL, .arg = 20 };

		fd = guest();
		REQUIRE("a guest connection", fd >= 0);
		CHECK_EQ(H_WHAT("send a frame of length %llu",
		    (unsigned long long)lens[i]), send_all(fd, &bad, sizeof(bad)), 0);
		CHECK_EQ(H_WHAT("the server closes a client that sent length %llu",
		    (unsigned long long)lens[i]), wait_closed(fd, &code), 1);
		close(fd);
		CHECK_SERVES(H_WHAT("a frame of length %llu",
		    (unsigned long long)lens[i]));
	}

	/* Vanishing while the server waits for a COPYIN answer */
	fd = guest();
	REQUIRE("a guest connection", fd >= 0);
	pid = -1;
	CHECK_EQ("getpid of the client that will vanish",
	    syscall0(fd, 2, 20, NULL, 0, &error, &pid), 0);
	args[0] = 1;
	args[1] = (int64_t)ADDR_BUF;
	args[2] = 16;
	CHECK_EQ("send write (4) to the console with a buffer pointer",
	    send_frame(fd, 3, SP_REQ, SP_SYSCALL, 4, args, sizeof(args)), 0);
	memset(&h, 0, sizeof(h));
	CHECK_EQ("the server asks for the buffer",
	    recv_frame(fd, &h, &cp, sizeof(cp), &bl), 0);
	CHECK_TRUE("... with REQ COPYIN", h.class == SP_REQ && h.type == SP_COPYIN);
	close(fd);		/* instead of answering */
	CHECK_SERVES("a client vanished during a COPYIN");
	{
		double deadline = h_mono() + 10;

		while ((error = fresh_kill0(pid)) == 0 && h_mono() < deadline)
			usleep(20000);
		CHECK_EQ("... and its process goes away: ESRCH (3)", error, 3);
	}

	/* Vanishing in the middle of a frame, of a header, at once */
	fd = guest();
	REQUIRE("a guest connection", fd >= 0);
	{
		struct sp_hdr part = { .len = 100, .reqno = 2, .class = SP_REQ,
		    .type = SP_SYSCALL, .arg = 4 };
		char bytes[24 + 30];

		memset(bytes, 0, sizeof(bytes));
		memcpy(bytes, &part, sizeof(part));
		CHECK_EQ("send 54 bytes of a 100-byte frame",
		    send_all(fd, bytes, sizeof(bytes)), 0);
	}
	close(fd);
	CHECK_SERVES("a client vanished mid-frame");
	fd = guest();
	REQUIRE("a guest connection", fd >= 0);
	CHECK_EQ("send 10 bytes of a header", send_all(fd, "\x30\0\0\0\0\0\0\0\0\0",
	    10), 0);
	close(fd);
	CHECK_SERVES("a client vanished mid-header");
	fd = sp_connect();
	REQUIRE("connect", fd >= 0);
	close(fd);
	CHECK_SERVES("a client that connected and left");
	fd = sp_connect();
	REQUIRE("connect", fd >= 0 && recv_banner(fd, banner) == 0);
	CHECK_EQ("send half a handshake", send_all(fd, "\x40\0\0\0\0\0\0\0", 8), 0);
	close(fd);
	CHECK_SERVES("a client vanished mid-handshake");

	/* Many at once, then gone */
	{
		int fds[32], n = 0;

		for (i = 0; i < 32; i++)
			if ((fds[n] = guest()) >= 0)
				n++;
		CHECK_EQ("32 guests connect at once", n, 32);
		while (n > 0)
			close(fds[--n]);
		CHECK_SERVES("32 clients left at once");
	}

	return h_end();
}
