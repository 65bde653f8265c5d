/* libs: -lrump -lrumpuser */
/*
 * 30_pipes: pipe and pipe2, with NetBSD's sys_pipe.c semantics and numbers.
 *
 * The read end takes the lowest free descriptor, the write end the next;
 * F_GETFL is O_RDONLY / O_WRONLY plus pipe2's flags (O_CLOEXEC included, as
 * NetBSD stores it).  The buffer is PIPE_SIZE (16384) bytes and grows to
 * BIG_PIPE_SIZE (65536) for a write larger than 16384 into an empty pipe;
 * writes of at most PIPE_BUF (512) bytes are atomic.  fstat says S_IFIFO
 * with mode 0600, st_size the bytes buffered (read end), st_blksize the
 * buffer size.  fpathconf knows only _PC_PIPE_BUF (6) = 512.  FIONREAD,
 * FIONWRITE, FIONSPACE.  A read returns what is buffered, 0 once the writer
 * is gone; a write fails with EPIPE (32) once the reader is gone, with a
 * SIGPIPE raised in the host under the default signal model unless the file
 * has O_NOSIGPIPE; O_NONBLOCK gives EAGAIN (35).
 *
 * Threads: a 4 MiB transfer with every byte checked and a two-thread
 * ping-pong, each in a fresh kernel with RUMP_NCPU=1 and 2 (a blocked
 * reader must give its virtual CPU back, or RUMP_NCPU=1 deadlocks), and
 * PIPE_BUF atomicity with four writers.
 */
#include "../harness.h"

#define NB_F_GETFD		1
#define NB_F_GETFL		3
#define NB_F_SETFL		4
#define NB_F_GETNOSIGPIPE	13
#define NB_F_SETNOSIGPIPE	14
#define NB_FD_CLOEXEC		1
#define NB_PC_PIPE_BUF		6
#define NB_PC_LINK_MAX		1

#define NB_FIONREAD	0x4004667fUL	/* _IOR('f', 127, int) */
#define NB_FIONBIO	0x8004667eUL	/* _IOW('f', 126, int) */
#define NB_FIONWRITE	0x40046679UL	/* _IOR('f', 121, int) */
#define NB_FIONSPACE	0x40046678UL	/* _IOR('f', 120, int) */
#define NB_FIOGETOWN	0x4004667bUL	/* _IOR('f', 123, int) */
#define NB_FIOSETOWN	0x8004667cUL	/* _IOW('f', 124, int) */

#define NB_PIPE_SIZE	16384
#define NB_BIG_PIPE_SIZE	65536
#define NB_PIPE_BUF	512

static int
fcntl3(int fd, int cmd, long arg)
{
	return rump_sys_fcntl(fd, cmd, (void *)(intptr_t)arg);
}

static int
ioctl_int(int fd, unsigned long cmd, int *v)
{
	*v = -12345;
	return rump_sys_ioctl(fd, cmd, v);
}

/* FIONREAD-like value, or -1000-errno */
static long long
ioctl_val(int fd, unsigned long cmd)
{
	int v;

	if (ioctl_int(fd, cmd, &v) != 0)
		return -1000 - errno;
	return v;
}

static uint32_t
xorshift(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* the byte at position i of the test stream */
static unsigned char
pattern(uint64_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13);
}

static volatile sig_atomic_t sigpipes;

static void
on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* ------------------------------------------------------------------ */
/* Threads                                                             */

#define STREAM_BYTES	(4u << 20)

struct stream {
	int fd;
	uint32_t seed;
	long long moved;	/* bytes written */
	int error;		/* errno of a failed call, or 0 */
};

static void *
stream_writer(void *v)
{
	struct stream *s = v;
	static unsigned char buf[70000];
	uint64_t pos = 0;

	while (pos < STREAM_BYTES) {
		size_t n = 1 + xorshift(&s->seed) % sizeof(buf), i;
		ssize_t w;

		if (xorshift(&s->seed) % 4 == 0)
			n = 1 + n % 700;	/* plenty of small writes too */
		if (n > STREAM_BYTES - pos)
			n = STREAM_BYTES - pos;
		for (i = 0; i < n; i++)
			buf[i] = pattern(pos + i);
		w = rump_sys_write(s->fd, buf, n);
		if (w <= 0) {
			s->error = errno;
			break;
		}
		pos += (uint64_t)w;
	}
	s->moved = (long long)pos;
	rump_sys_close(s->fd);
	return NULL;
}

/* Read the stream to EOF in random sizes; returns bytes read, counts bad ones. */
static long long
stream_read(int fd, uint32_t seed, long long *bad, int *error)
{
	static unsigned char buf[80000];
	long long pos = 0;

	*bad = 0;
	*error = 0;
	for (;;) {
		size_t n = 1 + xorshift(&seed) % sizeof(buf), i;
		ssize_t r = rump_sys_read(fd, buf, n);

		if (r < 0) {
			*error = errno;
			break;
		}
		if (r == 0)
			break;
		for (i = 0; i < (size_t)r; i++)
			if (buf[i] != pattern((uint64_t)pos + i))
				(*bad)++;
		pos += r;
	}
	return pos;
}

struct echo {
	int rfd, wfd;
	long n;
	long bad;
};

static void *
echo_thread(void *v)
{
	struct echo *e = v;
	unsigned char c;
	long i;

	for (i = 0; i < e->n; i++) {
		if (rump_sys_read(e->rfd, &c, 1) != 1) {
			e->bad++;
			break;
		}
		c ^= 0x5a;
		if (rump_sys_write(e->wfd, &c, 1) != 1) {
			e->bad++;
			break;
		}
	}
	return NULL;
}

#define ATOMIC_WRITERS	4
#define ATOMIC_RECORDS	3000

struct atomic_writer {
	int fd, id;
	int error;
};

static void *
atomic_writer(void *v)
{
	struct atomic_writer *a = v;
	unsigned char rec[NB_PIPE_BUF];
	int seq;

	for (seq = 0; seq < ATOMIC_RECORDS; seq++) {
		rec[0] = (unsigned char)a->id;
		rec[1] = (unsigned char)seq;
		rec[2] = (unsigned char)(seq >> 8);
		memset(rec + 3, (a->id * 37 + seq) & 0xff, sizeof(rec) - 3);
		if (rump_sys_write(a->fd, rec, sizeof(rec)) != (ssize_t)sizeof(rec)) {
			a->error = errno;
			break;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Sub-processes (fresh kernels)                                        */

static int
sub_main(const char *mode)
{
	int p[2], q[2], rv;

	if (strcmp(mode, "sigpipe-dfl") == 0 || strcmp(mode, "sigpipe-ignore") == 0 ||
	    strcmp(mode, "sigpipe-panic") == 0 || strcmp(mode, "sigpipe-record") == 0 ||
	    strcmp(mode, "sigpipe-nosig") == 0) {
		if (strcmp(mode, "sigpipe-ignore") == 0)
			rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
		if (strcmp(mode, "sigpipe-panic") == 0)
			rump_boot_setsigmodel(RUMP_SIGMODEL_PANIC);
		if (strcmp(mode, "sigpipe-record") == 0)
			rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
		signal(SIGPIPE, SIG_DFL);
		if (rump_init() != 0)
			return 3;
		if (strcmp(mode, "sigpipe-nosig") == 0)
			rv = rump_sys_pipe2(p, RUMP_O_NOSIGPIPE);
		else
			rv = rump_sys_pipe(p);
		if (rv != 0)
			return 4;
		rump_sys_close(p[0]);
		printf("@before 1 0\n");
		fflush(stdout);
		H_REPORT_CALL("write", rump_sys_write(p[1], "x", 1));
		return 0;
	}

	if (rump_init() != 0)
		return 3;

	if (strcmp(mode, "stream") == 0) {
		struct stream s = { 0, 0x1234567, 0, 0 };
		long long got, bad;
		double t0 = h_mono();
		pthread_t t;
		int error;

		if (rump_sys_pipe(p) != 0)
			return 4;
		s.fd = p[1];
		pthread_create(&t, NULL, stream_writer, &s);
		got = stream_read(p[0], 0xbadc0de, &bad, &error);
		pthread_join(t, NULL);
		h_report("stream", got, bad);
		h_report("stream-errors", s.error, error);
		h_report("stream-written", s.moved, 0);
		h_report("stream-ms", (long long)((h_mono() - t0) * 1000), 0);
		return 0;
	}
	if (strcmp(mode, "pingpong") == 0) {
		struct echo e;
		pthread_t t;
		unsigned char c;
		long i, bad = 0;

		if (rump_sys_pipe(p) != 0 || rump_sys_pipe(q) != 0)
			return 4;
		e.rfd = p[0];
		e.wfd = q[1];
		e.n = 20000;
		e.bad = 0;
		pthread_create(&t, NULL, echo_thread, &e);
		for (i = 0; i < e.n; i++) {
			c = (unsigned char)i;
			if (rump_sys_write(p[1], &c, 1) != 1 ||
			    rump_sys_read(q[0], &c, 1) != 1) {
				bad++;
				break;
			}
			if (c != ((unsigned char)i ^ 0x5a))
				bad++;
		}
		pthread_join(t, NULL);
		h_report("pingpong", i, bad + e.bad);
		return 0;
	}
	if (strcmp(mode, "atomic") == 0) {
		struct atomic_writer w[ATOMIC_WRITERS];
		pthread_t t[ATOMIC_WRITERS];
		static unsigned char stream[NB_PIPE_BUF * 2];
		unsigned char buf[3000];
		int next[ATOMIC_WRITERS] = { 0 };
		size_t have = 0;
		long long records = 0, bad = 0;
		uint32_t seed = 99;
		int i, k, errors = 0;

		if (rump_sys_pipe(p) != 0)
			return 4;
		for (i = 0; i < ATOMIC_WRITERS; i++) {
			w[i].fd = p[1];
			w[i].id = i + 1;
			w[i].error = 0;
			pthread_create(&t[i], NULL, atomic_writer, &w[i]);
		}
		while (records < (long long)ATOMIC_WRITERS * ATOMIC_RECORDS) {
			size_t n = 1 + xorshift(&seed) % sizeof(buf), j;
			ssize_t r = rump_sys_read(p[0], buf, n);

			if (r <= 0) {
				errors++;
				break;
			}
			for (j = 0; j < (size_t)r; j++) {
				stream[have++] = buf[j];
				if (have < NB_PIPE_BUF)
					continue;
				/* one whole record: one writer's, in its order */
				k = stream[0] - 1;
				if (k < 0 || k >= ATOMIC_WRITERS ||
				    stream[1] + 256 * stream[2] != next[k]) {
					bad++;
				} else {
					unsigned char fill = (stream[0] * 37 + next[k]) & 0xff;
					size_t m;

					for (m = 3; m < NB_PIPE_BUF; m++)
						if (stream[m] != fill)
							break;
					if (m != NB_PIPE_BUF)
						bad++;
					next[k]++;
				}
				records++;
				have = 0;
			}
		}
		for (i = 0; i < ATOMIC_WRITERS; i++) {
			pthread_join(t[i], NULL);
			errors += w[i].error != 0;
		}
		h_report("atomic", records, bad);
		h_report("atomic-errors", errors, 0);
		return 0;
	}
	return 2;
}

static void
check_threads(const char *ncpu)
{
	const char *env[] = { ncpu, NULL };
	struct h_sub r;
	long long v1 = 0, v2 = 0;

	h_run_sub("stream", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: 4 MiB writer/reader threads: the sub-process exits 0",
	    ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: the reader got all 4194304 bytes, none wrong", ncpu),
	    &r, "stream", STREAM_BYTES, 0);
	h_check_sub_val(H_WHAT("%s: no call failed on either side", ncpu), &r,
	    "stream-errors", 0, 0);
	h_check_sub_val(H_WHAT("%s: the writer wrote every byte", ncpu), &r,
	    "stream-written", STREAM_BYTES, 0);
	if (h_sub_val(&r, "stream-ms", &v1, &v2) > 0)
		h_note("%s: 4 MiB through a pipe in %lld ms", ncpu, v1);

	h_run_sub("pingpong", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: two-thread ping-pong does not deadlock", ncpu), &r, 0);
	h_check_sub_val(H_WHAT("%s: 20000 round trips, every byte echoed", ncpu), &r,
	    "pingpong", 20000, 0);

	h_run_sub("atomic", env, 60, &r);
	CHECK_SUB_EXIT(H_WHAT("%s: four PIPE_BUF writers: the sub-process exits 0", ncpu),
	    &r, 0);
	h_check_sub_val(H_WHAT("%s: 12000 records of 512 bytes, none torn or reordered",
	    ncpu), &r, "atomic", ATOMIC_WRITERS * ATOMIC_RECORDS, 0);
	h_check_sub_val(H_WHAT("%s: no writer failed", ncpu), &r, "atomic-errors", 0, 0);
}

static void
check_sigpipe_models(void)
{
	struct h_sub r;

	h_run_sub("sigpipe-dfl", NULL, 20, &r);
	CHECK_TRUE("default model (RAISE), SIGPIPE at its default action: the host "
	    "process dies of SIGPIPE", !r.timed_out && r.status != -1 &&
	    WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGPIPE);
	CHECK_TRUE("... in the write, not before it", strstr(r.out, "@before 1") != NULL &&
	    strstr(r.out, "@write") == NULL);

	h_run_sub("sigpipe-nosig", NULL, 20, &r);
	CHECK_SUB_EXIT("O_NOSIGPIPE from pipe2: no signal, the process lives", &r, 0);
	h_check_sub_val("... and the write fails with EPIPE", &r, "write", -1, RUMP_EPIPE);

	h_run_sub("sigpipe-ignore", NULL, 20, &r);
	CHECK_SUB_EXIT("RUMP_SIGMODEL_IGNORE: no signal reaches the host", &r, 0);
	h_check_sub_val("... the write fails with EPIPE", &r, "write", -1, RUMP_EPIPE);

	h_run_sub("sigpipe-panic", NULL, 20, &r);
	CHECK_SUB_EXIT("RUMP_SIGMODEL_PANIC lets SIGPIPE pass: no panic, no signal", &r, 0);
	h_check_sub_val("... the write fails with EPIPE", &r, "write", -1, RUMP_EPIPE);

	h_run_sub("sigpipe-record", NULL, 20, &r);
	CHECK_SUB_EXIT("RUMP_SIGMODEL_RECORD: no signal reaches the host", &r, 0);
	h_check_sub_val("... the write fails with EPIPE", &r, "write", -1, RUMP_EPIPE);
}

/* ------------------------------------------------------------------ */

struct closer {
	int fd;
	int delay_ms;
};

static void *
close_later(void *v)
{
	struct closer *c = v;

	usleep(c->delay_ms * 1000);
	rump_sys_close(c->fd);
	return NULL;
}

static void *
drain_some_then_close(void *v)
{
	struct closer *c = v;
	char buf[1000];

	usleep(c->delay_ms * 1000);
	rump_sys_read(c->fd, buf, sizeof(buf));
	rump_sys_close(c->fd);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct rump_stat st, st2;
	struct rump_iovec iov[3];
	static char big[200000];
	char buf[NB_PIPE_SIZE + 100], a[8], b[8], c[8];
	int p[2], q[2], fd, v, total, n, i;
	struct closer cl;
	pthread_t t;
	double t0;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("30_pipes");
	H_BOOT();

	/* ---- creation ---- */
	CHECK_EQ("pipe returns 0", rump_sys_pipe(p), 0);
	CHECK_EQ("the read end is the lowest free descriptor (3)", p[0], 3);
	CHECK_EQ("the write end is the next one (4)", p[1], 4);
	CHECK_EQ("F_GETFL of the read end is O_RDONLY", fcntl3(p[0], NB_F_GETFL, 0),
	    RUMP_O_RDONLY);
	CHECK_EQ("F_GETFL of the write end is O_WRONLY", fcntl3(p[1], NB_F_GETFL, 0),
	    RUMP_O_WRONLY);
	CHECK_EQ("no FD_CLOEXEC on plain pipe ends", fcntl3(p[0], NB_F_GETFD, 0), 0);
	CHECK_ERR("pipe(NULL) fails with EFAULT", rump_sys_pipe(NULL), RUMP_EFAULT);
	CHECK_ERR("pipe2(NULL, 0) fails with EFAULT", rump_sys_pipe2(NULL, 0), RUMP_EFAULT);
	CHECK_ERR("pipe2 with O_APPEND fails with EINVAL", rump_sys_pipe2(q, RUMP_O_APPEND),
	    RUMP_EINVAL);
	CHECK_ERR("pipe2 with O_RDWR fails with EINVAL", rump_sys_pipe2(q, RUMP_O_RDWR),
	    RUMP_EINVAL);
	CHECK_EQ("the failed calls left no descriptor behind: pipe2 gets 5 and 6",
	    rump_sys_pipe2(q, 0), 0);
	CHECK_TRUE("... fds 5 and 6", q[0] == 5 && q[1] == 6);
	rump_sys_close(q[0]);
	rump_sys_close(q[1]);
	CHECK_EQ("pipe2(O_CLOEXEC|O_NONBLOCK|O_NOSIGPIPE) returns 0",
	    rump_sys_pipe2(q, RUMP_O_CLOEXEC | RUMP_O_NONBLOCK | RUMP_O_NOSIGPIPE), 0);
	CHECK_EQ("... F_GETFL of its read end has all three (0x1400004)",
	    fcntl3(q[0], NB_F_GETFL, 0),
	    RUMP_O_RDONLY | RUMP_O_CLOEXEC | RUMP_O_NONBLOCK | RUMP_O_NOSIGPIPE);
	CHECK_EQ("... F_GETFL of its write end is O_WRONLY plus them",
	    fcntl3(q[1], NB_F_GETFL, 0),
	    RUMP_O_WRONLY | RUMP_O_CLOEXEC | RUMP_O_NONBLOCK | RUMP_O_NOSIGPIPE);
	CHECK_EQ("... both descriptors have FD_CLOEXEC", fcntl3(q[0], NB_F_GETFD, 0) +
	    fcntl3(q[1], NB_F_GETFD, 0), 2 * NB_FD_CLOEXEC);
	CHECK_EQ("... F_GETNOSIGPIPE is 1", fcntl3(q[1], NB_F_GETNOSIGPIPE, 0), 1);
	CHECK_EQ("F_SETFL keeps O_CLOEXEC in the status flags",
	    fcntl3(q[0], NB_F_SETFL, 0) == 0 ? fcntl3(q[0], NB_F_GETFL, 0) : -1,
	    RUMP_O_CLOEXEC);
	rump_sys_close(q[0]);
	rump_sys_close(q[1]);

	/* ---- fstat, fpathconf, ioctl ---- */
	memset(&st, 0xa5, sizeof(st));
	CHECK_EQ("fstat of the empty read end", rump_sys_fstat(p[0], (void *)&st), 0);
	CHECK_EQ("... st_mode is S_IFIFO|0600", st.st_mode, RUMP_S_IFIFO | 0600);
	CHECK_EQ("... st_size 0", st.st_size, 0);
	CHECK_EQ("... st_blocks 0", st.st_blocks, 0);
	CHECK_EQ("... st_blksize is PIPE_SIZE (16384)", st.st_blksize, NB_PIPE_SIZE);
	CHECK_EQ("... st_nlink 0 (NetBSD leaves it)", st.st_nlink, 0);
	CHECK_EQ("... st_uid 0 (the creator's)", st.st_uid, 0);
	CHECK_EQ("... st_ino 0", st.st_ino, 0);
	CHECK_TRUE("... st_birthtim is now", st.st_birthtim.tv_sec > h_realtime() - 60 &&
	    st.st_birthtim.tv_sec <= h_realtime() + 1);
	CHECK_EQ("write 100 bytes", rump_sys_write(p[1], big, 100), 100);
	CHECK_EQ("fstat of the read end", rump_sys_fstat(p[0], (void *)&st), 0);
	CHECK_EQ("... st_size is the 100 bytes buffered", st.st_size, 100);
	CHECK_EQ("... st_blocks 1", st.st_blocks, 1);
	CHECK_EQ("fstat of the write end", rump_sys_fstat(p[1], (void *)&st2), 0);
	CHECK_EQ("... st_mode is S_IFIFO|0600", st2.st_mode, RUMP_S_IFIFO | 0600);
	CHECK_EQ("... st_size 0 (it buffers nothing itself)", st2.st_size, 0);
	CHECK_EQ("... st_blksize is its peer's 16384", st2.st_blksize, NB_PIPE_SIZE);
	CHECK_EQ("FIONREAD on the read end: 100", ioctl_val(p[0], NB_FIONREAD), 100);
	CHECK_EQ("FIONREAD on the write end: 0", ioctl_val(p[1], NB_FIONREAD), 0);
	CHECK_EQ("FIONWRITE on the write end: 100 unread", ioctl_val(p[1], NB_FIONWRITE), 100);
	CHECK_EQ("FIONSPACE on the write end: 16284 free", ioctl_val(p[1], NB_FIONSPACE),
	    NB_PIPE_SIZE - 100);
	CHECK_EQ("FIONWRITE on the read end: 0", ioctl_val(p[0], NB_FIONWRITE), 0);
	CHECK_EQ("FIONSPACE on the read end: 0", ioctl_val(p[0], NB_FIONSPACE), 0);
	v = 0;
	CHECK_EQ("FIOSETOWN 0 is accepted", rump_sys_ioctl(p[0], NB_FIOSETOWN, &v), 0);
	CHECK_EQ("FIOGETOWN gives it back", ioctl_val(p[0], NB_FIOGETOWN), 0);
	v = 1;
	CHECK_EQ("FIOSETOWN to pid 1", rump_sys_ioctl(p[0], NB_FIOSETOWN, &v), 0);
	CHECK_EQ("FIOGETOWN says pid 1", ioctl_val(p[0], NB_FIOGETOWN), 1);
	v = 29999;
	CHECK_ERR("FIOSETOWN to a pid that does not exist fails with ESRCH",
	    rump_sys_ioctl(p[0], NB_FIOSETOWN, &v), RUMP_ESRCH);
	CHECK_ERR("an unknown ioctl fails with ENOTTY",
	    rump_sys_ioctl(p[0], 0x40047400UL, &v), RUMP_ENOTTY);
	CHECK_EQ("fpathconf(_PC_PIPE_BUF) is 512", rump_sys_fpathconf(p[0], NB_PC_PIPE_BUF),
	    NB_PIPE_BUF);
	CHECK_EQ("... on the write end too", rump_sys_fpathconf(p[1], NB_PC_PIPE_BUF), NB_PIPE_BUF);
	CHECK_ERR("fpathconf(_PC_LINK_MAX) fails with EINVAL",
	    rump_sys_fpathconf(p[0], NB_PC_LINK_MAX), RUMP_EINVAL);
	errno = 0;
	if (rump_sys_lseek(p[0], 0, RUMP_SEEK_SET) == -1 && errno == RUMP_ENOSYS)
		h_skip("lseek on a pipe fails with ESPIPE", "no lseek without the VFS faction");
	else
		CHECK_ERR("lseek on a pipe fails with ESPIPE",
		    rump_sys_lseek(p[0], 0, RUMP_SEEK_SET), RUMP_ESPIPE);
	CHECK_EQ("read the 100 bytes back", rump_sys_read(p[0], buf, sizeof(buf)), 100);

	/* ---- data ---- */
	CHECK_ERR("write on the read end fails with EBADF", rump_sys_write(p[0], "x", 1),
	    RUMP_EBADF);
	CHECK_ERR("read on the write end fails with EBADF", rump_sys_read(p[1], buf, 1),
	    RUMP_EBADF);
	CHECK_EQ("a zero-length read of an empty pipe returns 0 at once",
	    rump_sys_read(p[0], buf, 0), 0);
	CHECK_EQ("a zero-length write returns 0", rump_sys_write(p[1], buf, 0), 0);
	CHECK_EQ("write \"abc\", \"defg\"", rump_sys_write(p[1], "abc", 3) +
	    rump_sys_write(p[1], "defg", 4), 7);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("a read takes what is there, not more: 7 of 100",
	    rump_sys_read(p[0], buf, 100), 7);
	CHECK_STR("... in order", buf, "abcdefg");
	iov[0].iov_base = (void *)"12";
	iov[0].iov_len = 2;
	iov[1].iov_base = (void *)"";
	iov[1].iov_len = 0;
	iov[2].iov_base = (void *)"345";
	iov[2].iov_len = 3;
	CHECK_EQ("writev of three segments", rump_sys_writev(p[1], (void *)iov, 3), 5);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	iov[0].iov_base = a;
	iov[0].iov_len = 1;
	iov[1].iov_base = b;
	iov[1].iov_len = 3;
	iov[2].iov_base = c;
	iov[2].iov_len = 4;
	CHECK_EQ("readv scatters the 5 bytes", rump_sys_readv(p[0], (void *)iov, 3), 5);
	CHECK_TRUE("... \"1\", \"234\", \"5\"", strcmp(a, "1") == 0 && strcmp(b, "234") == 0 &&
	    strcmp(c, "5") == 0);
	CHECK_ERR("write from a NULL buffer fails with EFAULT",
	    rump_sys_write(p[1], NULL, 10), RUMP_EFAULT);
	CHECK_EQ("... and buffers nothing", ioctl_val(p[0], NB_FIONREAD), 0);

	/* ---- O_NONBLOCK ---- */
	CHECK_EQ("F_SETFL O_NONBLOCK on both ends", fcntl3(p[0], NB_F_SETFL, RUMP_O_NONBLOCK) +
	    fcntl3(p[1], NB_F_SETFL, RUMP_O_NONBLOCK), 0);
	CHECK_ERR("a non-blocking read of an empty pipe fails with EAGAIN (35)",
	    rump_sys_read(p[0], buf, 1), 35);
	for (total = 0, i = 0; i < 1000; i++) {
		n = rump_sys_write(p[1], big, 1000);
		if (n <= 0)
			break;
		total += n;
	}
	CHECK_EQ("1000-byte non-blocking writes fill exactly PIPE_SIZE (16384) bytes",
	    total, NB_PIPE_SIZE);
	CHECK_ERR("... then fail with EAGAIN", rump_sys_write(p[1], big, 1000), RUMP_EAGAIN);
	CHECK_ERR("... even for one byte", rump_sys_write(p[1], big, 1), RUMP_EAGAIN);
	CHECK_EQ("read 511 bytes", rump_sys_read(p[0], buf, 511), 511);
	CHECK_ERR("a 512-byte write needs 512 free bytes: EAGAIN with 511 (atomic)",
	    rump_sys_write(p[1], big, NB_PIPE_BUF), RUMP_EAGAIN);
	CHECK_EQ("a 511-byte write fits", rump_sys_write(p[1], big, 511), 511);
	CHECK_EQ("read 600 bytes", rump_sys_read(p[0], buf, 600), 600);
	CHECK_EQ("a 1000-byte write is not atomic: 600 go in, the call returns 600",
	    rump_sys_write(p[1], big, 1000), 600);
	CHECK_EQ("FIONREAD: full", ioctl_val(p[0], NB_FIONREAD), NB_PIPE_SIZE);
	for (total = 0; (n = rump_sys_read(p[0], buf, sizeof(buf))) > 0; total += n)
		;
	CHECK_EQ("drain it all", total, NB_PIPE_SIZE);
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)pattern(i);
	CHECK_EQ("a 100000-byte non-blocking write into the empty pipe grows it: 65536 go in",
	    rump_sys_write(p[1], big, 100000), NB_BIG_PIPE_SIZE);
	CHECK_EQ("fstat: st_blksize is now BIG_PIPE_SIZE (65536)",
	    rump_sys_fstat(p[0], (void *)&st) == 0 ? st.st_blksize : -1, NB_BIG_PIPE_SIZE);
	CHECK_EQ("... st_size 65536", st.st_size, NB_BIG_PIPE_SIZE);
	for (total = 0; (n = rump_sys_read(p[0], buf + 0, 7000)) > 0; total += n)
		if (memcmp(buf, big + total, (size_t)n) != 0)
			break;
	CHECK_EQ("all 65536 read back in order", total, NB_BIG_PIPE_SIZE);
	v = 0;
	CHECK_EQ("FIONBIO 0 on the read end", rump_sys_ioctl(p[0], NB_FIONBIO, &v), 0);
	CHECK_EQ("... clears O_NONBLOCK", fcntl3(p[0], NB_F_GETFL, 0), RUMP_O_RDONLY);
	v = 1;
	CHECK_EQ("FIONBIO 1 sets it again", rump_sys_ioctl(p[0], NB_FIONBIO, &v) == 0 ?
	    fcntl3(p[0], NB_F_GETFL, 0) : -1, RUMP_O_RDONLY | RUMP_O_NONBLOCK);
	CHECK_EQ("blocking again on both ends", fcntl3(p[0], NB_F_SETFL, 0) +
	    fcntl3(p[1], NB_F_SETFL, 0), 0);

	/* ---- EOF ---- */
	fd = rump_sys_dup(p[1]);
	CHECK_EQ("dup the write end", fd, 5);
	CHECK_EQ("write 3 bytes, close the original write end",
	    rump_sys_write(p[1], "xyz", 3) + rump_sys_close(p[1]), 3);
	CHECK_EQ("the dup keeps the pipe open: read gets the 3 bytes",
	    rump_sys_read(p[0], buf, 10), 3);
	cl.fd = fd;
	cl.delay_ms = 100;
	pthread_create(&t, NULL, close_later, &cl);
	t0 = h_mono();
	CHECK_EQ("a blocked read returns 0 when another thread closes the last write end",
	    rump_sys_read(p[0], buf, 10), 0);
	CHECK_TRUE("... after it closed (>= 90 ms)", h_mono() - t0 >= 0.09);
	pthread_join(t, NULL);
	CHECK_EQ("read at EOF returns 0 again", rump_sys_read(p[0], buf, 10), 0);
	CHECK_EQ("fstat of a widowed read end still works",
	    rump_sys_fstat(p[0], (void *)&st), 0);
	rump_sys_close(p[0]);

	/* ---- EPIPE and SIGPIPE ---- */
	signal(SIGPIPE, on_sigpipe);
	CHECK_EQ("a new pipe", rump_sys_pipe(p), 0);
	rump_sys_close(p[0]);
	sigpipes = 0;
	CHECK_ERR("write with no reader fails with EPIPE (32)", rump_sys_write(p[1], "x", 1),
	    RUMP_EPIPE);
	CHECK_EQ("... and raises one SIGPIPE in the host (RUMP_SIGMODEL_RAISE)", sigpipes, 1);
	CHECK_ERR("a zero-length write fails with EPIPE too", rump_sys_write(p[1], "x", 0),
	    RUMP_EPIPE);
	CHECK_EQ("... with its own SIGPIPE", sigpipes, 2);
	CHECK_EQ("F_SETNOSIGPIPE 1", fcntl3(p[1], NB_F_SETNOSIGPIPE, 1), 0);
	CHECK_ERR("then the write still fails with EPIPE", rump_sys_write(p[1], "x", 1),
	    RUMP_EPIPE);
	CHECK_EQ("... without a signal", sigpipes, 2);
	rump_sys_close(p[1]);

	CHECK_EQ("a new pipe", rump_sys_pipe(p), 0);
	cl.fd = p[0];
	cl.delay_ms = 100;
	pthread_create(&t, NULL, drain_some_then_close, &cl);
	sigpipes = 0;
	CHECK_ERR("a writer blocked on a full pipe gets EPIPE when the reader leaves",
	    rump_sys_write(p[1], big, sizeof(big)), RUMP_EPIPE);
	CHECK_EQ("... and a SIGPIPE", sigpipes, 1);
	pthread_join(t, NULL);
	rump_sys_close(p[1]);
	signal(SIGPIPE, SIG_DFL);
	check_sigpipe_models();

	/* ---- between rump processes ---- */
	CHECK_EQ("a pipe for two processes", rump_sys_pipe(p), 0);
	CHECK_EQ("rfork(RUMP_RFFDG) copies the table", rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	CHECK_TRUE("... now in the child", rump_sys_getpid() != 1);
	CHECK_EQ("the child writes into its copy of the write end",
	    rump_sys_write(p[1], "child", 5), 5);
	CHECK_EQ("the child closes both its ends", rump_sys_close(p[0]) +
	    rump_sys_close(p[1]), 0);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("back in pid 1", rump_sys_getpid(), 1);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("the parent reads the child's bytes", rump_sys_read(p[0], buf, 10), 5);
	CHECK_STR("... \"child\"", buf, "child");
	rump_sys_close(p[1]);
	CHECK_EQ("EOF once the parent's write end is closed too", rump_sys_read(p[0], buf, 10),
	    0);
	rump_sys_close(p[0]);

	/* ---- threads, in fresh kernels ---- */
	check_threads("RUMP_NCPU=1");
	check_threads("RUMP_NCPU=2");

	return h_end();
}
