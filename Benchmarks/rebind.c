/*
 * rebind.c -- the cost of plugin-supplied system call handlers against the
 * built-in one: a handler found by name in the kernel convention
 * (rebound_getpid_ns) and one with a natural C signature called through
 * libffi (typed_handler_ns).  argv[1]: the folder holding libbench_handlers.so.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_component.h>
#include <rump/rump_syscalls.h>

#define BENCH_NAME "rebind"
#include "bench_util.h"

#define N 20000000L

static double
time_calls(pid_t (*call)(void), pid_t want)
{
	uint64_t t0;
	long i;
	pid_t p;

	for (i = 0; i < N / 50; i++) {
		p = call();
		CHECK(p == want, "warm-up call", p);
	}
	t0 = now_ns();
	for (i = 0; i < N; i++) {
		p = call();
		CHECK(p == want, "call", p);
	}
	return (double)(now_ns() - t0) / N;
}

int
main(int argc, char **argv)
{
	char path[1024];
	double builtin, rebound, typed;
	int rv;

	CHECK(argc > 1, "argc", argc);
	rv = rump_init();
	CHECK(rv == 0, "rump_init", rv);
	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	CHECK(rv == 0, "rump_pub_lwproc_rfork", rv);
	builtin = time_calls(rump_sys_getpid, rump_sys_getpid());
	snprintf(path, sizeof(path), "%s/libbench_handlers.so", argv[1]);
	rv = rump_faction_load(path);
	CHECK(rv == 0, "rump_faction_load(libbench_handlers.so)", rv);
	rebound = time_calls(rump_sys_getpid, 77);
	typed = time_calls(rump_sys_getppid, 78);
	printf("builtin_getpid_ns %.1f ns/op\n", builtin);
	printf("rebound_getpid_ns %.1f ns/op\n", rebound);
	printf("rebound_over_builtin_ns %.1f ns/op\n", rebound - builtin);
	printf("typed_handler_ns %.1f ns/op\n", typed);
	printf("typed_over_builtin_ns %.1f ns/op\n", typed - builtin);
	return 0;
}
