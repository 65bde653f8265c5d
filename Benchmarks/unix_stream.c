/*
 * unix_stream.c -- local stream socket throughput: unix_stream_mbs moves
 * 64 MiB through an AF_LOCAL SOCK_STREAM socketpair in 64 KiB writes to a
 * reader thread that reads 64 KiB at a time, and reports MB/s (10^6
 * bytes).  Byte n of the stream is n % 251 (a period prime to the chunk
 * size, so a lost, repeated or reordered chunk shows); the reader checks
 * every byte.
 *
 * The benchmarks share one link line without the net factions, so this
 * one dlopen()s librumpnet.so and librumpnet_local.so (found through the
 * program's run path) before rump_init, which attaches them as if linked.
 *
 * Output: "<name> <value> <unit>" lines; a failure exits with status 2.
 */
#include <sys/types.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define BENCH_NAME "unix_stream"
#include "bench_util.h"

#define CHUNK		(64 * 1024)
#define TOTAL		(64LL * 1024 * 1024)
#define WARMUP		(4LL * 1024 * 1024)
#define PERIOD		251
#define NB_AF_LOCAL	1
#define NB_SOCK_STREAM	1

static unsigned char pattern[CHUNK + PERIOD];

struct reader {
	int fd;
	long long bytes;
	long bad;
};

static void *
reader(void *v)
{
	struct reader *r = v;
	static unsigned char buf[CHUNK];
	ssize_t n;

	while ((n = rump_sys_read(r->fd, buf, sizeof(buf))) > 0) {
		if (memcmp(buf, pattern + r->bytes % PERIOD, (size_t)n) != 0)
			r->bad++;
		r->bytes += n;
	}
	CHECK(n == 0, "rump_sys_read(socket)", n);
	return NULL;
}

static void
load(const char *name)
{
	void *h = dlopen(name, RTLD_NOW | RTLD_GLOBAL);

	if (h == NULL) {
		fprintf(stderr, "unix_stream bench: FAILED: dlopen %s: %s\n", name, dlerror());
		exit(2);
	}
}

int
main(void)
{
	struct reader r;
	pthread_t t;
	uint64_t t0 = 0, t1;
	long long sent = 0;
	int sv[2], rv, i;
	ssize_t w;

	for (i = 0; i < (int)sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i % PERIOD);
	load("librumpnet.so");
	load("librumpnet_local.so");
	CHECK(rump_init() == 0, "rump_init", -1);
	rv = rump_sys_socketpair(NB_AF_LOCAL, NB_SOCK_STREAM, 0, sv);
	CHECK(rv == 0, "rump_sys_socketpair", rv);
	r.fd = sv[1];
	r.bytes = 0;
	r.bad = 0;
	pthread_create(&t, NULL, reader, &r);
	while (sent < WARMUP + TOTAL) {
		if (sent == WARMUP)
			t0 = now_ns();
		w = rump_sys_write(sv[0], pattern + sent % PERIOD, CHUNK);
		CHECK(w == CHUNK, "rump_sys_write(socket, 64 KiB)", w);
		sent += CHUNK;
	}
	rv = rump_sys_shutdown(sv[0], 1 /* SHUT_WR */);
	CHECK(rv == 0, "rump_sys_shutdown", rv);
	pthread_join(t, NULL);
	t1 = now_ns();
	CHECK(r.bytes == sent, "bytes read", r.bytes);
	CHECK(r.bad == 0, "reads with wrong bytes", r.bad);
	rump_sys_close(sv[0]);
	rump_sys_close(sv[1]);
	printf("unix_stream_mbs %.1f MB/s\n", (double)TOTAL / 1e6 / ((double)(t1 - t0) / 1e9));
	return 0;
}
