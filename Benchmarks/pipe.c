/*
 * pipe.c -- pipe throughput beside the shared bench.c (which has the
 * ping-pong lines): pipe_mbs moves 1 MiB through a pipe in 64 KiB writes
 * to a reader thread that reads 64 KiB at a time, over and over, and
 * reports MB/s (10^6 bytes).  Byte n of the stream is (unsigned char)n;
 * the reader checks the first, middle and last byte of every read.
 *
 * Output: "<name> <value> <unit>" lines; a failure exits with status 2.
 */
#include <sys/types.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define BENCH_NAME "pipe"
#include "bench_util.h"

#define CHUNK		(64 * 1024)
#define ROUND_BYTES	(1024 * 1024)
#define ROUNDS		400
#define WARMUP_ROUNDS	20

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
		if (buf[0] != (unsigned char)r->bytes ||
		    buf[n / 2] != (unsigned char)(r->bytes + n / 2) ||
		    buf[n - 1] != (unsigned char)(r->bytes + n - 1))
			r->bad++;
		r->bytes += n;
	}
	CHECK(n == 0, "rump_sys_read(pipe)", n);
	return NULL;
}

int
main(void)
{
	static unsigned char data[ROUND_BYTES];
	struct reader r;
	pthread_t t;
	uint64_t t0 = 0, t1;
	long long total = 0;
	int p[2], round, off, rv;
	ssize_t w;

	CHECK(rump_init() == 0, "rump_init", -1);
	for (off = 0; off < ROUND_BYTES; off++)
		data[off] = (unsigned char)off;
	rv = rump_sys_pipe(p);
	CHECK(rv == 0, "rump_sys_pipe", rv);
	r.fd = p[0];
	r.bytes = 0;
	r.bad = 0;
	pthread_create(&t, NULL, reader, &r);
	for (round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
		if (round == 0)
			t0 = now_ns();
		for (off = 0; off < ROUND_BYTES; off += CHUNK) {
			w = rump_sys_write(p[1], data + off, CHUNK);
			CHECK(w == CHUNK, "rump_sys_write(pipe, 64 KiB)", w);
		}
		total += ROUND_BYTES;
	}
	rv = rump_sys_close(p[1]);
	CHECK(rv == 0, "rump_sys_close", rv);
	pthread_join(t, NULL);
	t1 = now_ns();
	CHECK(r.bytes == total, "bytes read", r.bytes);
	CHECK(r.bad == 0, "chunks with wrong bytes", r.bad);
	rump_sys_close(p[0]);
	printf("pipe_mbs %.1f MB/s\n",
	    (double)ROUNDS * ROUND_BYTES / 1e6 / ((double)(t1 - t0) / 1e9));
	return 0;
}
