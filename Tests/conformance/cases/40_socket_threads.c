/* libs: -lrumpnet_local -lrumpnet_net -lrumpnet -lrumpvfs -lrump -lrumpuser */
/*
 * 40_socket_threads: local sockets between host threads, each scenario in
 * a fresh kernel with RUMP_NCPU=1 and RUMP_NCPU=2 (a thread blocked in a
 * socket call must give its virtual CPU back, or RUMP_NCPU=1 deadlocks):
 *  - 6 MiB through a stream socketpair in odd-sized writes, every byte
 *    checked, reader and writer in two threads;
 *  - the same through a connection made with bind/listen/connect, with the
 *    server thread blocked in accept() before the client connects, and the
 *    writer in another rump process;
 *  - 2000 seqpacket records bounced between two threads (ping-pong);
 *  - a reader blocked in recv() woken by the peer's close (end of file);
 *  - poll() blocked on a socket woken by another thread's write.
 * And SIGPIPE: under the default signal model (RAISE) a write to a stream
 * socket whose peer is gone kills the host process with SIGPIPE, as the
 * pipe's does; MSG_NOSIGNAL prevents it.
 */
#include "../harness.h"

#define NB_AF_LOCAL	1
#define NB_STREAM	1
#define NB_SEQPACKET	5
#define NB_MSG_NOSIGNAL	0x400
#define STREAM_BYTES	(6 * 1024 * 1024)
#define PINGS		2000

struct nb_sockaddr_un {
	uint8_t sun_len;
	uint8_t sun_family;
	char sun_path[104];
};

static unsigned char
byte_at(long long i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

struct side {
	int fd;
	long long bytes;
	long bad;
	int error;
	struct lwp *lwp;
	int listener;
};

static void *
writer(void *v)
{
	struct side *s = v;
	static unsigned char buf[70000];
	long long off = 0;
	int sizes[] = { 1, 7000, 65536, 333, 70000, 4096 };
	int k = 0;

	if (s->lwp != NULL)
		rump_pub_lwproc_switch(s->lwp);
	while (off < STREAM_BYTES) {
		int n = sizes[k++ % 6], i;
		ssize_t w;
		if (n > STREAM_BYTES - off)
			n = (int)(STREAM_BYTES - off);
		for (i = 0; i < n; i++)
			buf[i] = byte_at(off + i);
		w = rump_sys_write(s->fd, buf, n);
		if (w <= 0) {
			s->error = errno ? errno : -1;
			break;
		}
		off += w;
	}
	s->bytes = off;
	rump_sys_shutdown(s->fd, 1);
	if (s->lwp != NULL)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
reader(struct side *s)
{
	static unsigned char buf[50000];
	ssize_t n, i;

	while ((n = rump_sys_read(s->fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			if (buf[i] != byte_at(s->bytes + i))
				s->bad++;
		s->bytes += n;
	}
	if (n < 0)
		s->error = errno;
}

static void *
acceptor(void *v)
{
	struct side *s = v;

	s->fd = rump_sys_accept(s->listener, NULL, NULL);
	if (s->fd < 0)
		s->error = errno;
	else
		reader(s);
	return NULL;
}

static void *
ponger(void *v)
{
	struct side *s = v;
	char c[4];
	int i;

	for (i = 0; i < PINGS; i++) {
		if (rump_sys_read(s->fd, c, sizeof(c)) != 3) {
			s->error = errno ? errno : -1;
			return NULL;
		}
		c[0]++;
		if (rump_sys_write(s->fd, c, 3) != 3) {
			s->error = errno ? errno : -1;
			return NULL;
		}
	}
	return NULL;
}

static void *
closer(void *v)
{
	struct side *s = v;

	usleep(50 * 1000);
	rump_sys_close(s->fd);
	return NULL;
}

static void *
delayed_writer(void *v)
{
	struct side *s = v;

	usleep(50 * 1000);
	if (rump_sys_write(s->fd, "w", 1) != 1)
		s->error = errno;
	return NULL;
}

static int
sub_main(const char *name)
{
	pthread_t t;
	struct side w = { 0 }, r = { 0 };
	int sv[2];

	if (rump_init() != 0)
		return 3;
	if (strcmp(name, "pair") == 0) {
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) != 0)
			return 4;
		w.fd = sv[0];
		r.fd = sv[1];
		pthread_create(&t, NULL, writer, &w);
		reader(&r);
		pthread_join(t, NULL);
		h_report("pair", r.bytes, r.bad);
		h_report("pair-errors", w.error, r.error);
		return 0;
	}
	if (strcmp(name, "accept") == 0) {
		struct nb_sockaddr_un sun;
		int l, c;
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = NB_AF_LOCAL;
		strcpy(sun.sun_path, "/tmp/thr.sock");
		sun.sun_len = 2 + 13;
		l = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
		if (rump_sys_bind(l, (void *)&sun, 16) != 0 || rump_sys_listen(l, 1) != 0)
			return 4;
		r.listener = l;
		pthread_create(&t, NULL, acceptor, &r);
		usleep(50 * 1000);	/* the acceptor blocks first */
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			return 5;
		c = rump_sys_socket(NB_AF_LOCAL, NB_STREAM, 0);
		if (rump_sys_connect(c, (void *)&sun, 16) != 0)
			return 6;
		w.fd = c;
		writer(&w);
		pthread_join(t, NULL);
		h_report("accept", r.bytes, r.bad);
		h_report("accept-errors", w.error, r.error);
		return 0;
	}
	if (strcmp(name, "pingpong") == 0) {
		char c[4] = "a00";
		int i, ok = 0;
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_SEQPACKET, 0, sv) != 0)
			return 4;
		r.fd = sv[1];
		pthread_create(&t, NULL, ponger, &r);
		for (i = 0; i < PINGS; i++) {
			c[0] = (char)('a' + i % 20);
			if (rump_sys_write(sv[0], c, 3) != 3 || rump_sys_read(sv[0], c, 4) != 3)
				break;
			ok += c[0] == (char)('a' + i % 20 + 1);
		}
		pthread_join(t, NULL);
		h_report("pingpong", ok, r.error);
		return 0;
	}
	if (strcmp(name, "wake") == 0) {
		char c;
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) != 0)
			return 4;
		w.fd = sv[0];
		pthread_create(&t, NULL, closer, &w);
		H_REPORT_CALL("wake", rump_sys_read(sv[1], &c, 1));
		pthread_join(t, NULL);
		return 0;
	}
	if (strcmp(name, "pollwake") == 0) {
		struct pollfd pfd;
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) != 0)
			return 4;
		w.fd = sv[0];
		pthread_create(&t, NULL, delayed_writer, &w);
		pfd.fd = sv[1];
		pfd.events = POLLIN;
		pfd.revents = 0;
		H_REPORT_CALL("pollwake", rump_sys_poll((void *)&pfd, 1, -1));
		h_report("pollwake-revents", pfd.revents, w.error);
		pthread_join(t, NULL);
		return 0;
	}
	if (strcmp(name, "sigpipe") == 0 || strcmp(name, "nosignal") == 0) {
		if (rump_sys_socketpair(NB_AF_LOCAL, NB_STREAM, 0, sv) != 0)
			return 4;
		rump_sys_close(sv[1]);
		h_report("before", 1, 0);
		H_REPORT_CALL("send", rump_sys_sendto(sv[0], "x", 1,
		    strcmp(name, "nosignal") == 0 ? NB_MSG_NOSIGNAL : 0, NULL, 0));
		return 0;
	}
	return 2;
}

static void
check_threads(const char *ncpu)
{
	const char *env[] = { ncpu, NULL };
	struct h_sub r;

	h_run_sub("pair", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: 6 MiB through a socketpair: the sub-process exits 0", ncpu),
	    &r, 0);
	h_check_sub_val(H_WHAT("%s: the reader got all 6291456 bytes, none wrong", ncpu), &r,
	    "pair", STREAM_BYTES, 0);
	h_check_sub_val(H_WHAT("%s: no call failed", ncpu), &r, "pair-errors", 0, 0);

	h_run_sub("accept", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: blocked accept, then 6 MiB from another process: exits 0",
	    ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: the acceptor read all 6291456 bytes, none wrong", ncpu),
	    &r, "accept", STREAM_BYTES, 0);
	h_check_sub_val(H_WHAT("%s: no call failed", ncpu), &r, "accept-errors", 0, 0);

	h_run_sub("pingpong", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: seqpacket ping-pong does not deadlock", ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: 2000 round trips, each answered", ncpu), &r, "pingpong",
	    PINGS, 0);

	h_run_sub("pollwake", env, 30, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: poll() blocked on a socket is woken by a write", ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: ... poll returns 1", ncpu), &r, "pollwake", 1, 0);
	h_check_sub_val(H_WHAT("%s: ... revents POLLIN", ncpu), &r, "pollwake-revents", 1, 0);

	h_run_sub("wake", env, 30, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: a blocked reader is woken by the peer's close", ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: ... and reads end of file (0)", ncpu), &r, "wake", 0, 0);
}

int
main(int argc, char **argv)
{
	struct h_sub r;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("40_socket_threads");
	check_threads("RUMP_NCPU=1");
	check_threads("RUMP_NCPU=2");

	h_run_sub("sigpipe", NULL, 20, &r);
	CHECK_TRUE("default model (RAISE): a send to a closed peer kills the host process "
	    "with SIGPIPE", !r.timed_out && r.status != -1 && WIFSIGNALED(r.status) &&
	    WTERMSIG(r.status) == SIGPIPE);
	CHECK_TRUE("... in the send, not before it", strstr(r.out, "@before 1") != NULL &&
	    strstr(r.out, "@send") == NULL);
	h_run_sub("nosignal", NULL, 20, &r);
	CHECK_SUB_EXIT("MSG_NOSIGNAL: no signal, the process lives", &r, 0);
	h_check_sub_val("... and the send fails with EPIPE", &r, "send", -1, RUMP_EPIPE);
	return h_end();
}
