/*
 * remote.c -- the cost of a system call made through librumpclient to a
 * rump_server on a unix socket ($RUMP_SERVER; Benchmarks/run.sh starts the
 * server).
 *
 *   remote_getpid_us             one getpid round trip, in microseconds: the
 *                                median over batches of calls
 *   remote_write4k_us            one pwrite of 4 KiB to a file in the
 *                                server (the bytes travel as a copyin), the
 *                                same way
 *   remote_64clients_calls_per_s 64 client processes, connected first and
 *                                then released together, each making
 *                                REMOTE_CALLS getpid calls: all the calls
 *                                over the wall time from release to the last
 *                                exit
 *
 * Output: "<name> <value> <unit>" lines; a failure exits with status 2.
 */
#define _GNU_SOURCE 1

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#define BENCH_NAME "remote"
#include "../bench_util.h"

#define BATCHES		101
#define BATCH		200
#define WARMUP		2000
#define NCLIENTS	64
#define DEFAULT_CALLS	5000

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of per-call times over BATCHES batches of BATCH calls. */
static double
median_us(double *per_call)
{
	qsort(per_call, BATCHES, sizeof(*per_call), cmp_double);
	return per_call[BATCHES / 2] / 1e3;
}

static void
bench_getpid(void)
{
	double t[BATCHES];
	pid_t pid = rump_sys_getpid();
	int b, i;

	CHECK(pid >= 2, "getpid", pid);
	for (i = 0; i < WARMUP; i++)
		CHECK(rump_sys_getpid() == pid, "getpid", i);
	for (b = 0; b < BATCHES; b++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < BATCH; i++)
			if (__builtin_expect(rump_sys_getpid() != pid, 0))
				CHECK(0, "getpid", i);
		t[b] = (double)(now_ns() - t0) / BATCH;
	}
	emit("remote_getpid_us", median_us(t), "us");
}

static void
bench_write4k(void)
{
	static char buf[4096];
	double t[BATCHES];
	char path[64];
	int fd, b, i;
	ssize_t n;

	memset(buf, 'w', sizeof(buf));
	snprintf(path, sizeof(path), "/tmp/remote-bench.%d", (int)getpid());
	fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC, 0600);
	CHECK(fd >= 0, "open", fd);
	for (i = 0; i < WARMUP / 4; i++) {
		n = rump_sys_pwrite(fd, buf, sizeof(buf), 0);
		CHECK(n == (ssize_t)sizeof(buf), "pwrite", n);
	}
	for (b = 0; b < BATCHES; b++) {
		uint64_t t0 = now_ns();

		for (i = 0; i < BATCH / 4; i++) {
			n = rump_sys_pwrite(fd, buf, sizeof(buf), 0);
			if (__builtin_expect(n != (ssize_t)sizeof(buf), 0))
				CHECK(0, "pwrite", n);
		}
		t[b] = (double)(now_ns() - t0) / (BATCH / 4);
	}
	/* The bytes arrived: the last one reads back. */
	buf[0] = 0;
	n = rump_sys_pread(fd, buf, 1, 4095);
	CHECK(n == 1 && buf[0] == 'w', "pread", n);
	rump_sys_close(fd);
	rump_sys_unlink(path);
	emit("remote_write4k_us", median_us(t), "us");
}

/* One of the 64: connect, say so, wait for the start, make the calls. */
static int
client(int ready, int go, long calls)
{
	pid_t pid;
	char c = 0;
	long i;

	if (rumpclient_init() != 0)
		return 1;
	pid = rump_sys_getpid();
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) < 0)
		return 1;
	for (i = 0; i < calls; i++)
		if (rump_sys_getpid() != pid)
			return 1;
	return 0;
}

/* The 64 clients, connected and waiting for the start. */
static struct {
	pid_t kids[NCLIENTS];
	int go;
	long calls;
} crowd;

/*
 * Fork and connect the 64 before this process connects (each needs a
 * connection of its own) and before anything is measured, so that their
 * connecting and, later, the server tearing their processes down do not
 * overlap the single-client lines.
 */
static void
crowd_connect(void)
{
	int ready[2], go[2], i;
	const char *env = getenv("REMOTE_CALLS");
	char c;

	crowd.calls = DEFAULT_CALLS;
	if (env != NULL && atol(env) > 0)
		crowd.calls = atol(env);
	CHECK(pipe(ready) == 0 && pipe(go) == 0, "pipe", errno);
	fflush(stdout);
	for (i = 0; i < NCLIENTS; i++) {
		crowd.kids[i] = fork();
		CHECK(crowd.kids[i] >= 0, "fork", errno);
		if (crowd.kids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(client(ready[1], go[0], crowd.calls));
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < NCLIENTS; i++)
		CHECK(read(ready[0], &c, 1) == 1, "client connect", i);
	close(ready[0]);
	crowd.go = go[1];
}

/* Release the 64 together; the clock runs until the last one exits. */
static void
bench_64clients(void)
{
	uint64_t t0;
	int i, status;

	t0 = now_ns();
	close(crowd.go);
	for (i = 0; i < NCLIENTS; i++) {
		CHECK(waitpid(crowd.kids[i], &status, 0) == crowd.kids[i],
		    "waitpid", i);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "client status", status);
	}
	emit("remote_64clients_calls_per_s",
	    (double)NCLIENTS * crowd.calls / ((double)(now_ns() - t0) / 1e9),
	    "calls/s");
}

int
main(void)
{
	crowd_connect();
	CHECK(rumpclient_init() == 0, "rumpclient_init", errno);
	bench_getpid();
	bench_write4k();
	bench_64clients();
	return 0;
}
