/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 80_sysproxy_server: the sysproxy server inside this process, driven by
 * clients that speak the wire protocol directly from threads of the test:
 * banner, handshakes, system calls with copyin/copyout served from the
 * clients' "memory" (buffers at made-up addresses), the inline extension,
 * concurrent calls on one connection (a read that blocks while a write on
 * the same connection wakes it), prefork and fork handshakes, exec, signals
 * raised in the client, malformed frames, and clients that vanish mid-call.
 *
 * The frame layout is written out here from the protocol's description (a
 * 24-byte header: length, request number, class, type, 32-bit argument), not
 * taken from the library, so that the test checks the wire format itself.
 */
#include "../harness.h"

#include <sys/socket.h>
#include <sys/un.h>

#define CASE "80_sysproxy_server"

struct frame {
	uint64_t len;
	uint64_t reqno;
	uint16_t cls;
	uint16_t type;
	uint32_t arg;
};
_Static_assert(sizeof(struct frame) == 24, "frame header");

enum { REQ, RESP, ERR };
enum { T_HANDSHAKE, T_SYSCALL, T_COPYIN, T_COPYINSTR, T_COPYOUT,
	T_COPYOUTSTR, T_ANONMMAP, T_PREFORK, T_RAISE, T_INLINE = 64 };

#define NB_O_RDWR	0x2
#define NB_O_CREAT	0x200
#define NB_O_CLOEXEC	0x400000
#define SIGUSR1_NB	30

static char sockpath[108];

/* A client's "memory": buffers at addresses only the client knows. */
struct region {
	uint64_t addr;
	void *buf;
	size_t len;
};

struct client {
	int s;
	struct region mem[8];
	int nmem;
	int raised;		/* last RAISE signal */
	int copyins;		/* COPYIN/COPYINSTR requests served */
	int starve;		/* answer copyins with nothing */
};

static int
xread(int s, void *p, size_t n)
{
	uint8_t *b = p;

	while (n > 0) {
		ssize_t r = read(s, b, n);

		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Send bytes; a server that already hung up gives EPIPE, not SIGPIPE. */
static ssize_t
raw(int s, const void *p, size_t n)
{
	return send(s, p, n, MSG_NOSIGNAL);
}

static void
xsend(int s, uint64_t reqno, int cls, int type, uint32_t arg, const void *body,
    size_t len)
{
	struct frame f = { sizeof(f) + len, reqno, (uint16_t)cls, (uint16_t)type, arg };

	if (raw(s, &f, sizeof(f)) != (ssize_t)sizeof(f) ||
	    (len > 0 && raw(s, body, len) != (ssize_t)len))
		h_note("send failed: %s", strerror(errno));
}

/* Next frame: its body length, or -1 at end of stream. */
static long
xrecv(int s, struct frame *f, void *body, size_t cap)
{
	static uint8_t sink[1 << 16];
	size_t n;

	if (xread(s, f, sizeof(*f)) != 0)
		return -1;
	n = f->len - sizeof(*f);
	if (n > cap) {
		if (xread(s, sink, n) != 0)
			return -1;
		return (long)n;
	}
	return xread(s, body, n) == 0 ? (long)n : -1;
}

/* Connect and read the banner into `banner` (NUL-terminated). */
static int
xconnect(char *banner, size_t cap)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t n = 0;
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sun.sun_path, sockpath);
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		return -1;
	while (n + 1 < cap) {
		if (read(s, banner + n, 1) != 1)
			break;
		if (banner[n++] == '\n')
			break;
	}
	banner[n] = '\0';
	return s;
}

/* A guest client; `ext` asks for the inline extension.  Returns the
 * handshake answer's body length (4 or 8) or -1. */
static int
guest(struct client *c, int ext, uint32_t *flags)
{
	char banner[128], body[32] = "tclient";
	struct frame f;
	uint32_t ans[2] = { 99, 0 };
	long n;

	memset(c, 0, sizeof(*c));
	c->s = xconnect(banner, sizeof(banner));
	if (c->s < 0)
		return -1;
	memcpy(body + 8, "RUMPSPX1", 8);
	xsend(c->s, 1, REQ, T_HANDSHAKE, 0, body, ext ? 16 : 8);
	n = xrecv(c->s, &f, ans, sizeof(ans));
	if (n < 0 || f.cls != RESP || f.type != T_HANDSHAKE || ans[0] != 0)
		return -1;
	if (flags)
		*flags = ans[1];
	return (int)n;
}

static void
map(struct client *c, uint64_t addr, void *buf, size_t len)
{
	c->mem[c->nmem++] = (struct region){ addr, buf, len };
}

static struct region *
lookup(struct client *c, uint64_t addr, uint64_t len)
{
	int i;

	for (i = 0; i < c->nmem; i++)
		if (addr >= c->mem[i].addr && addr + len <= c->mem[i].addr + c->mem[i].len)
			return &c->mem[i];
	return NULL;
}

/* Serve one request of the server (copies, raise). */
static void
serve(struct client *c, const struct frame *f, uint8_t *body, long n)
{
	uint64_t len, addr;
	struct region *r;

	if (f->type == T_RAISE) {
		c->raised = (int)f->arg;
		return;
	}
	if (n < 16)
		return;
	memcpy(&len, body, 8);
	memcpy(&addr, body + 8, 8);
	if (f->type == T_COPYIN || f->type == T_COPYINSTR) {
		c->copyins++;
		r = lookup(c, addr, 1);
		if (r == NULL || c->starve) {
			xsend(c->s, f->reqno, RESP, T_COPYIN, 0, NULL, 0);
			return;
		}
		const uint8_t *p = (uint8_t *)r->buf + (addr - r->addr);
		size_t avail = r->len - (addr - r->addr), give = len < avail ? len : avail;

		if (f->type == T_COPYINSTR) {
			const uint8_t *nul = memchr(p, 0, give);

			if (nul != NULL)
				give = (size_t)(nul - p) + 1;
		}
		xsend(c->s, f->reqno, RESP, T_COPYIN, 0, p, give);
	} else if (f->type == T_COPYOUT || f->type == T_COPYOUTSTR) {
		r = lookup(c, addr, len);
		if (r != NULL)
			memcpy((uint8_t *)r->buf + (addr - r->addr), body + 16, len);
	}
}

/* Wait for the answer to `reqno`, serving the server's requests meanwhile.
 * Returns the NetBSD errno, -1 if the connection ended, -2 for an ERROR
 * frame (its code in *rv). */
static int
await(struct client *c, uint64_t reqno, long long rv[2])
{
	static __thread uint8_t body[1 << 16];
	struct frame f;
	long n;

	for (;;) {
		n = xrecv(c->s, &f, body, sizeof(body));
		if (n < 0)
			return -1;
		if (f.cls == REQ) {
			serve(c, &f, body, n);
			continue;
		}
		if (f.reqno != reqno)
			continue;
		if (f.cls == ERR) {
			rv[0] = f.arg;
			return -2;
		}
		int32_t error;

		memcpy(&error, body, 4);
		memcpy(rv, body + 8, 16);
		return error;
	}
}

static int
call(struct client *c, uint64_t reqno, int num, const uint64_t *args, int nargs,
    long long rv[2])
{
	xsend(c->s, reqno, REQ, T_SYSCALL, (uint32_t)num, args, (size_t)nargs * 8);
	return await(c, reqno, rv);
}

/* The pid of the client's process. */
static long long
cpid(struct client *c)
{
	long long rv[2] = { 0, 0 };

	return call(c, 900, 20, NULL, 0, rv) == 0 ? rv[0] : -1;
}

/* Whether process `pid` is gone (within a second or two). */
static int
gone(long long pid)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (rump_sys_kill((pid_t)pid, 0) == -1 && errno == RUMP_ESRCH)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* ------------------------------------------------------------------ */

static void
t_urls(void)
{
	char longurl[300];

	CHECK_EQ("rump_init_server(\"foo\") = EINVAL", rump_init_server("foo"), RUMP_EINVAL);
	CHECK_EQ("unix:// without a path = EINVAL", rump_init_server("unix://"), RUMP_EINVAL);
	CHECK_EQ("tcp:// without a port = EINVAL", rump_init_server("tcp://127.0.0.1"), RUMP_EINVAL);
	CHECK_EQ("tcp:// with a bad address = EINVAL", rump_init_server("tcp://1.2.3:5"), RUMP_EINVAL);
	memset(longurl, 'a', sizeof(longurl));
	memcpy(longurl, "unix:///", 8);
	longurl[sizeof(longurl) - 1] = '\0';
	CHECK_EQ("200-byte socket path = ENAMETOOLONG", rump_init_server(longurl), RUMP_ENAMETOOLONG);
	snprintf(longurl, sizeof(longurl), "unix://%s", sockpath);
	CHECK_EQ("unix://<tmp>/sock = 0", rump_init_server(longurl), 0);
	CHECK_EQ("the socket file exists", access(sockpath, F_OK), 0);
	CHECK_EQ("a second server = EBUSY", rump_init_server("unix://other"), RUMP_EBUSY);
}

static void
t_handshake(void)
{
	struct client a, b;
	char banner[128];
	uint32_t flags = 0;
	long long rv[2];
	int s;

	s = xconnect(banner, sizeof(banner));
	CHECK_STR("banner", banner, "RUMPSP-0.4-NetBSD-7.99.34/amd64\n");
	close(s);

	CHECK_EQ("plain guest handshake answers 4 bytes", guest(&a, 0, NULL), 4);
	CHECK_EQ("handshake with the extension tag answers 8 bytes", guest(&b, 1, &flags), 8);
	CHECK_EQ("extension flags: inline calls", flags, 1);
	CHECK_EQ("getpid error", call(&a, 2, 20, NULL, 0, rv), 0);
	CHECK_GE("getpid: a pid of its own", rv[0], 2);
	CHECK_EQ("getpid: parent is pid 1", rv[1], 1);
	CHECK_EQ("a second client is another process", cpid(&b) != rv[0] && cpid(&b) >= 2, 1);
	CHECK_EQ("getuid of a client: root", call(&a, 3, 24, NULL, 0, rv), 0);
	CHECK_EQ("uid 0", rv[0], 0);
	close(a.s);
	close(b.s);
}

static void
t_files(void)
{
	struct client c;
	char path[] = "/tmp/sp-file", data[] = "hello", back[8] = { 0 };
	char devnull[] = "/dev/null", nonul[1100];
	struct rump_stat st;
	long long rv[2], fd;
	uint64_t args[6];

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	map(&c, 0x10000, path, sizeof(path));
	map(&c, 0x20000, data, 5);
	map(&c, 0x30000, back, sizeof(back));
	map(&c, 0x40000, &st, sizeof(st));

	args[0] = 0x10000; args[1] = NB_O_RDWR | NB_O_CREAT; args[2] = 0644;
	CHECK_EQ("open through copyinstr", call(&c, 10, 5, args, 3, rv), 0);
	fd = rv[0];
	CHECK_EQ("first descriptor of a client is 3", fd, 3);
	args[0] = (uint64_t)fd; args[1] = 0x20000; args[2] = 5;
	c.copyins = 0;
	CHECK_EQ("write through copyin", call(&c, 11, 4, args, 3, rv), 0);
	CHECK_EQ("write wrote 5", rv[0], 5);
	CHECK_EQ("write asked for one copyin", c.copyins, 1);
	args[0] = (uint64_t)fd; args[1] = 0x30000; args[2] = 5; args[3] = 0; args[4] = 0;
	CHECK_EQ("pread through copyout", call(&c, 12, 173, args, 5, rv), 0);
	CHECK_EQ("pread read 5", rv[0], 5);
	CHECK_MEM("pread bytes", back, "hello", 5);
	args[0] = 0x10000; args[1] = 0x40000;
	CHECK_EQ("stat", call(&c, 13, 439, args, 2, rv), 0);
	CHECK_EQ("stat size", st.st_size, 5);
	CHECK_EQ("stat mode", st.st_mode, 0100644);

	/* Bad client memory. */
	args[0] = (uint64_t)fd; args[1] = 0x50000; args[2] = 5;
	CHECK_EQ("write from unmapped client memory = EFAULT", call(&c, 14, 4, args, 3, rv), RUMP_EFAULT);
	args[0] = 0; args[1] = NB_O_RDWR;
	c.copyins = 0;
	CHECK_EQ("open(NULL) = EFAULT", call(&c, 15, 5, args, 3, rv), RUMP_EFAULT);
	CHECK_EQ("NULL is refused without asking the client", c.copyins, 0);
	memset(nonul, 'x', sizeof(nonul));
	map(&c, 0x60000, nonul, sizeof(nonul));
	args[0] = 0x60000; args[1] = NB_O_RDWR;
	CHECK_EQ("path without a NUL in 1024 bytes = ENAMETOOLONG", call(&c, 16, 5, args, 3, rv), RUMP_ENAMETOOLONG);
	c.starve = 1;
	args[0] = 0x10000; args[1] = NB_O_RDWR;
	CHECK_EQ("empty copyinstr answer = EFAULT", call(&c, 17, 5, args, 3, rv), RUMP_EFAULT);
	c.starve = 0;
	/* /dev/null takes a write without reading it, as NetBSD's does. */
	map(&c, 0x70000, devnull, sizeof(devnull));
	args[0] = 0x70000; args[1] = NB_O_RDWR; args[2] = 0;
	REQUIRE("open /dev/null", call(&c, 25, 5, args, 3, rv) == 0);
	args[0] = (uint64_t)rv[0]; args[1] = 0x90000; args[2] = 4096;
	c.copyins = 0;
	CHECK_EQ("write to /dev/null", call(&c, 26, 4, args, 3, rv), 0);
	CHECK_EQ("... takes all 4096 bytes", rv[0], 4096);
	CHECK_EQ("... without asking the client for them", c.copyins, 0);
	args[0] = 99;
	CHECK_EQ("close(99) = EBADF", call(&c, 18, 6, args, 1, rv), RUMP_EBADF);
	CHECK_EQ("unknown syscall 400 = ENOSYS", call(&c, 19, 400, NULL, 0, rv), RUMP_ENOSYS);
	close(c.s);
}

static void
t_inline(void)
{
	struct client c;
	char data[] = "inline!", back[8] = { 0 };
	long long rv[2], fd;
	uint32_t flags;
	uint64_t args[5];
	struct {
		uint32_t argslen, nsegs;
		uint64_t args[3];
		uint64_t addr, len;
		char bytes[8];
	} m;

	REQUIRE("guest with extension", guest(&c, 1, &flags) == 8 && flags == 1);
	map(&c, 0x30000, back, sizeof(back));
	args[0] = 0;
	CHECK_EQ("pipe", call(&c, 20, 42, args, 0, rv), 0);
	fd = rv[1];
	m.argslen = 24;
	m.nsegs = 1;
	m.args[0] = (uint64_t)fd;
	m.args[1] = 0x20000;
	m.args[2] = 7;
	m.addr = 0x20000;
	m.len = 7;
	memcpy(m.bytes, data, 8);
	c.copyins = 0;
	xsend(c.s, 21, REQ, T_INLINE, 4, &m, sizeof(m));
	CHECK_EQ("inline write", await(&c, 21, rv), 0);
	CHECK_EQ("inline write wrote 7", rv[0], 7);
	CHECK_EQ("inline write needed no copyin request", c.copyins, 0);
	args[0] = (uint64_t)fd - 1; args[1] = 0x30000; args[2] = 7;
	CHECK_EQ("read it back", call(&c, 22, 3, args, 3, rv), 0);
	CHECK_MEM("inline bytes arrived", back, "inline!", 7);
	/* A segment that does not cover the range: the server asks. */
	map(&c, 0x20000, data, 8);
	m.len = 3;
	c.copyins = 0;
	xsend(c.s, 23, REQ, T_INLINE, 4, &m, sizeof(m));
	CHECK_EQ("partial inline write", await(&c, 23, rv), 0);
	CHECK_EQ("partial inline: the server asked once", c.copyins, 1);
	/* Malformed: a segment longer than the frame. */
	m.len = 4096;
	xsend(c.s, 24, REQ, T_INLINE, 4, &m, sizeof(m));
	CHECK_EQ("malformed inline frame: ERROR", await(&c, 24, rv), -2);
	CHECK_EQ("malformed inline frame: code 7", rv[0], 7);
	close(c.s);
}

/* One connection, two calls at once: a read that blocks and the write that
 * ends it, sent after the read. */
static void
t_concurrent_calls(void)
{
	struct client c;
	char in[] = "Z", out[2] = { 0 };
	long long rv[2], r0, w0;
	uint64_t args[3];
	struct frame f;
	uint8_t body[256];
	int answered = 0, rerr = -1, werr = -1;
	long long rres = 0, wres = 0;

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	map(&c, 0x1000, in, 1);
	map(&c, 0x2000, out, 1);
	CHECK_EQ("pipe", call(&c, 30, 42, NULL, 0, rv), 0);
	r0 = rv[0];
	w0 = rv[1];
	args[0] = (uint64_t)r0; args[1] = 0x2000; args[2] = 1;
	xsend(c.s, 31, REQ, T_SYSCALL, 3, args, 24);
	usleep(50000);	/* the read sleeps in the kernel */
	args[0] = (uint64_t)w0; args[1] = 0x1000; args[2] = 1;
	xsend(c.s, 32, REQ, T_SYSCALL, 4, args, 24);
	while (answered < 2) {
		long n = xrecv(c.s, &f, body, sizeof(body));

		if (n < 0)
			break;
		if (f.cls == REQ) {
			serve(&c, &f, body, n);
			continue;
		}
		int32_t e;

		memcpy(&e, body, 4);
		if (f.reqno == 31) {
			rerr = e;
			memcpy(&rres, body + 8, 8);
		} else if (f.reqno == 32) {
			werr = e;
			memcpy(&wres, body + 8, 8);
		}
		answered++;
	}
	CHECK_EQ("write on the same connection as a sleeping read", werr, 0);
	CHECK_EQ("write wrote 1", wres, 1);
	CHECK_EQ("the read woke", rerr, 0);
	CHECK_EQ("the read read 1", rres, 1);
	CHECK_EQ("the read's byte", out[0], 'Z');
	close(c.s);
}

static void
t_malformed(void)
{
	struct client c;
	char banner[128];
	struct frame f;
	uint8_t body[64];
	long long rv[2];
	int s;

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	xsend(c.s, 40, REQ, 42, 0, NULL, 0);
	CHECK_EQ("unknown type: an ERROR frame", xrecv(c.s, &f, body, sizeof(body)) >= 0 && f.cls == ERR, 1);
	CHECK_EQ("unknown type: code 7 (malformed)", f.arg, 7);
	CHECK_EQ("unknown type: request number echoed", f.reqno, 40);
	CHECK_EQ("then the connection closes", xrecv(c.s, &f, body, sizeof(body)), -1);
	close(c.s);

	s = xconnect(banner, sizeof(banner));
	xsend(s, 41, REQ, T_SYSCALL, 20, NULL, 0);
	CHECK_EQ("a call before the handshake: ERROR", xrecv(s, &f, body, sizeof(body)) >= 0 && f.cls == ERR, 1);
	CHECK_EQ("a call before the handshake: code 2 (auth)", f.arg, 2);
	CHECK_EQ("then closed", xrecv(s, &f, body, sizeof(body)), -1);
	close(s);

	s = xconnect(banner, sizeof(banner));
	xsend(s, 42, REQ, T_HANDSHAKE, 1, NULL, 0);
	CHECK_EQ("an auth handshake: code 2", xrecv(s, &f, body, sizeof(body)) >= 0 ? (long)f.arg : -1, 2);
	close(s);

	s = xconnect(banner, sizeof(banner));
	f = (struct frame){ 8, 43, REQ, T_HANDSHAKE, 0 };
	(void)raw(s, &f, sizeof(f));
	CHECK_EQ("a length below the header: closed", xrecv(s, &f, body, sizeof(body)), -1);
	close(s);

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	f = (struct frame){ 1ULL << 40, 44, REQ, T_SYSCALL, 20 };
	(void)raw(c.s, &f, sizeof(f));
	CHECK_EQ("a 1 TiB frame: ERROR 7", xrecv(c.s, &f, body, sizeof(body)) >= 0 ? (long)f.arg : -1, 7);
	CHECK_EQ("then closed", xrecv(c.s, &f, body, sizeof(body)), -1);
	close(c.s);

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	f = (struct frame){ 24, 45, 7, T_SYSCALL, 20 };
	(void)raw(c.s, &f, sizeof(f));
	CHECK_EQ("class 7: closed", xrecv(c.s, &f, body, sizeof(body)), -1);
	close(c.s);

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	f = (struct frame){ 24 + 8, 46, RESP, T_COPYIN, 0 };
	(void)raw(c.s, &f, sizeof(f));
	(void)raw(c.s, "12345678", 8);
	CHECK_EQ("an answer to nothing: closed", xrecv(c.s, &f, body, sizeof(body)), -1);
	close(c.s);

	REQUIRE("the server still serves", guest(&c, 0, NULL) == 4);
	CHECK_EQ("getpid after all that", call(&c, 47, 20, NULL, 0, rv), 0);
	close(c.s);
}

static void
t_vanish(void)
{
	struct client c;
	long long rv[2], pid, r0;
	uint64_t args[3];
	struct frame f;
	uint8_t body[64];

	/* Gone while the server waits for a copyin. */
	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	pid = cpid(&c);
	args[0] = 1; args[1] = 0x7000; args[2] = 4;
	xsend(c.s, 50, REQ, T_SYSCALL, 4, args, 24);
	CHECK_EQ("the server asks for the bytes", xrecv(c.s, &f, body, sizeof(body)) >= 0 && f.type == T_COPYIN, 1);
	close(c.s);
	CHECK_EQ("gone during a copyin: its process ends", gone(pid), 1);

	/* Gone while a call sleeps. */
	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	pid = cpid(&c);
	REQUIRE("pipe", call(&c, 51, 42, NULL, 0, rv) == 0);
	r0 = rv[0];
	args[0] = (uint64_t)r0; args[1] = 0x7000; args[2] = 1;
	xsend(c.s, 52, REQ, T_SYSCALL, 3, args, 24);
	usleep(20000);
	close(c.s);
	CHECK_EQ("gone during a sleeping read: its process ends", gone(pid), 1);

	/* Gone in the middle of a frame. */
	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	pid = cpid(&c);
	f = (struct frame){ 24 + 24, 53, REQ, T_SYSCALL, 4 };
	(void)raw(c.s, &f, sizeof(f));
	(void)raw(c.s, args, 5);
	close(c.s);
	CHECK_EQ("gone mid-frame: its process ends", gone(pid), 1);

	REQUIRE("the server still serves", guest(&c, 0, NULL) == 4);
	CHECK_GE("getpid", cpid(&c), 2);
	close(c.s);
}

static void
t_fork_exec(void)
{
	struct client p, k;
	char banner[128], path[] = "/tmp/sp-fork", msg[] = "kid";
	struct {
		uint32_t auth[4];
		int32_t cancel;
	} hf;
	struct frame f;
	uint8_t body[64];
	long long rv[2], ppid, fd, cfd;
	uint64_t args[5];
	int s;

	REQUIRE("guest", guest(&p, 0, NULL) == 4);
	ppid = cpid(&p);
	map(&p, 0x10000, path, sizeof(path));
	args[0] = 0x10000; args[1] = NB_O_RDWR | NB_O_CREAT; args[2] = 0600;
	REQUIRE("open", call(&p, 60, 5, args, 3, rv) == 0);
	fd = rv[0];
	args[1] = NB_O_RDWR | NB_O_CLOEXEC;
	REQUIRE("open close-on-exec", call(&p, 61, 5, args, 3, rv) == 0);
	cfd = rv[0];

	xsend(p.s, 62, REQ, T_PREFORK, 0, NULL, 0);
	CHECK_EQ("prefork answer", xrecv(p.s, &f, hf.auth, sizeof(hf.auth)), 16);
	CHECK_EQ("prefork answer is a RESP PREFORK", f.cls == RESP && f.type == T_PREFORK, 1);
	hf.cancel = 0;

	memset(&k, 0, sizeof(k));
	k.s = xconnect(banner, sizeof(banner));
	xsend(k.s, 1, REQ, T_HANDSHAKE, 2, &hf, 20);
	CHECK_EQ("fork handshake answered", xrecv(k.s, &f, body, sizeof(body)), 4);
	CHECK_EQ("fork handshake OK", f.cls == RESP && body[0] == 0, 1);
	CHECK_EQ("the child's parent is the client", call(&k, 63, 39, NULL, 0, rv) == 0 ? rv[0] : -1, ppid);
	CHECK_EQ("the child is a process of its own", cpid(&k) != ppid, 1);
	map(&k, 0x20000, msg, 3);
	args[0] = (uint64_t)fd; args[1] = 0x20000; args[2] = 3;
	CHECK_EQ("the child writes to the inherited descriptor", call(&k, 64, 4, args, 3, rv), 0);
	CHECK_EQ("3 bytes", rv[0], 3);
	close(k.s);

	/* The same cookie again, or a made-up one: ESRCH to the client. */
	s = xconnect(banner, sizeof(banner));
	xsend(s, 1, REQ, T_HANDSHAKE, 2, &hf, 20);
	CHECK_EQ("a used cookie: ERROR 3", xrecv(s, &f, body, sizeof(body)) >= 0 && f.cls == ERR ? (long)f.arg : -1, 3);
	close(s);

	/* Exec: close-on-exec descriptors close, the others stay. */
	xsend(p.s, 65, REQ, T_HANDSHAKE, 3, "newprog", 8);
	CHECK_EQ("exec handshake answered", xrecv(p.s, &f, body, sizeof(body)), 4);
	CHECK_EQ("exec handshake OK", f.cls == RESP && body[0] == 0, 1);
	CHECK_EQ("same process after exec", cpid(&p), ppid);
	args[0] = (uint64_t)cfd;
	CHECK_EQ("close-on-exec descriptor closed: EBADF", call(&p, 66, 6, args, 1, rv), RUMP_EBADF);
	args[0] = (uint64_t)fd;
	CHECK_EQ("plain descriptor kept", call(&p, 67, 6, args, 1, rv), 0);
	close(p.s);
}

/* daemon(3) order: the parent's connection ends before the child's comes. */
static void
t_prefork_orphan(void)
{
	struct client p, k;
	char banner[128];
	struct {
		uint32_t auth[4];
		int32_t cancel;
	} hf = { { 0 }, 0 };
	struct frame f;
	uint8_t body[64];
	long long rv[2], ppid;

	REQUIRE("guest", guest(&p, 0, NULL) == 4);
	ppid = cpid(&p);
	xsend(p.s, 70, REQ, T_PREFORK, 0, NULL, 0);
	CHECK_EQ("prefork answer", xrecv(p.s, &f, hf.auth, sizeof(hf.auth)), 16);
	close(p.s);
	CHECK_EQ("the parent's process ends", gone(ppid), 1);
	memset(&k, 0, sizeof(k));
	k.s = xconnect(banner, sizeof(banner));
	xsend(k.s, 1, REQ, T_HANDSHAKE, 2, &hf, 20);
	CHECK_EQ("the cookie still works after the parent left", xrecv(k.s, &f, body, sizeof(body)) == 4 &&
	    f.cls == RESP && body[0] == 0, 1);
	CHECK_EQ("the orphan's parent is now pid 1", call(&k, 71, 39, NULL, 0, rv) == 0 ? rv[0] : -1, 1);
	close(k.s);
}

static void
t_signal(void)
{
	struct client c;
	long long pid;

	REQUIRE("guest", guest(&c, 0, NULL) == 4);
	pid = cpid(&c);
	CHECK_EQ("kill(client, SIGUSR1) from the local process", rump_sys_kill((pid_t)pid, SIGUSR1_NB), 0);
	CHECK_GE("getpid still answers", cpid(&c), 2);
	CHECK_EQ("the client was asked to raise SIGUSR1 (30)", c.raised, SIGUSR1_NB);
	close(c.s);
}

/* Many clients at once, each checking every answer. */
#define NCLIENTS 16
#define NCALLS 400

static void *
busy_client(void *arg)
{
	long *bad = arg;
	struct client c;
	char data[16], back[16];
	long long rv[2], pid, fd;
	uint64_t args[5];
	int i;

	if (guest(&c, (int)(*bad & 1), NULL) < 0) {
		*bad = 1000;
		return NULL;
	}
	*bad = 0;
	pid = cpid(&c);
	map(&c, 0x1000, data, sizeof(data));
	map(&c, 0x2000, back, sizeof(back));
	if (call(&c, 1, 42, NULL, 0, rv) != 0)
		(*bad)++;
	fd = rv[1];
	for (i = 0; i < NCALLS; i++) {
		snprintf(data, sizeof(data), "%lld:%d", pid, i);
		args[0] = (uint64_t)fd; args[1] = 0x1000; args[2] = sizeof(data);
		if (call(&c, 10 + (uint64_t)i * 3, 4, args, 3, rv) != 0 || rv[0] != sizeof(data))
			(*bad)++;
		args[0] = (uint64_t)fd - 1; args[1] = 0x2000;
		if (call(&c, 11 + (uint64_t)i * 3, 3, args, 3, rv) != 0 || rv[0] != sizeof(data) ||
		    memcmp(back, data, sizeof(data)) != 0)
			(*bad)++;
		if (call(&c, 12 + (uint64_t)i * 3, 20, NULL, 0, rv) != 0 || rv[0] != pid)
			(*bad)++;
	}
	close(c.s);
	return NULL;
}

static void
t_many(void)
{
	pthread_t t[NCLIENTS];
	long bad[NCLIENTS];
	long total = 0;
	int i;

	for (i = 0; i < NCLIENTS; i++) {
		bad[i] = i;	/* odd ones use the extension */
		pthread_create(&t[i], NULL, busy_client, &bad[i]);
	}
	for (i = 0; i < NCLIENTS; i++) {
		pthread_join(t[i], NULL);
		total += bad[i];
	}
	CHECK_EQ("16 clients x 400 x 3 calls, every answer right", total, 0);
}

/* A client's reboot halts the kernel; the client (a child process, which
 * outlives the kernel's) still gets its answer and the socket file goes. */
static int
sub_halt(void)
{
	char url[200];
	struct client c;
	long long rv[2];
	uint64_t args[2] = { 0, 0 };
	int i, rc;

	printf("@path %s\n", sockpath);
	fflush(stdout);
	if (fork() == 0) {
		/* The file appears at bind, a moment before listen. */
		for (i = 0; i < 500 && guest(&c, 0, NULL) != 4; i++) {
			if (c.s >= 0)
				close(c.s);
			usleep(10000);
		}
		rc = call(&c, 5, 208, args, 2, rv);
		h_report("reboot", rc, access(sockpath, F_OK) == 0);
		_exit(0);
	}
	rump_init();
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	if (rump_init_server(url) != 0)
		return 1;
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/rumpspXXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(sockpath, sizeof(sockpath), "%s/sock", dir);
	if (H_IS_SUB(argc, argv))
		return sub_halt();
	h_begin(CASE);
	H_BOOT();

	t_urls();
	t_handshake();
	t_files();
	t_inline();
	t_concurrent_calls();
	t_malformed();
	t_vanish();
	t_fork_exec();
	t_prefork_orphan();
	t_signal();
	t_many();

	{
		static struct h_sub r;
		long long v1 = -1, v2 = -1;
		const char *path;

		h_run_sub("halt", NULL, 30, &r);
		h_sub_val(&r, "reboot", &v1, &v2);
		CHECK_EQ("a client's reboot is answered (error 0)", v1, 0);
		CHECK_EQ("the socket file is gone when the answer comes", v2, 0);
		CHECK_CONTAINS("the kernel halts", r.out, "halted");
		CHECK_SUB_EXIT("the halted server exits 0", &r, 0);
		path = h_sub_str(&r, "path");
		CHECK_EQ("the socket file is removed", path != NULL && access(path, F_OK) == -1, 1);
		if (path != NULL) {
			char d[1024];

			snprintf(d, sizeof(d), "%s", path);
			*strrchr(d, '/') = '\0';
			rmdir(d);
		}
	}
	unlink(sockpath);
	rmdir(dir);
	return h_end();
}
