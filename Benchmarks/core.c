/*
 * core.c -- micro-benchmarks of the kernel core beside the shared bench.c:
 * the dispatch floor, entering the kernel, descriptor and sysctl calls, and
 * the cost (time and memory) of short-lived host threads with implicit lwps.
 *
 * Output: "<name> <value> <unit>" lines.  Every call's result is checked;
 * a failure names the benchmark and exits with status 2.
 */
#include <sys/types.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#define BENCH_NAME cur	/* the benchmark running now */
#include "bench_util.h"

static const char *cur = "startup";

static long
rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size, resident;

	CHECK(f != NULL && fscanf(f, "%ld %ld", &size, &resident) == 2,
	    "read /proc/self/statm", 0);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* An unimplemented system call: table lookup and return, no handler. */
static void
bench_enosys(void)
{
	const long n = 20000000;
	long retval[2], i;
	uint64_t t0;
	int rv;

	cur = "syscall_enosys_ns";
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		rv = rump_syscall(RUMP_SYS_socket, NULL, 0, retval);
		CHECK(rv == RUMP_ENOSYS, "rump_syscall(socket)", rv);
	}
	emit(cur, (double)(now_ns() - t0) / n, "ns/op");
}

static void
bench_schedule(void)
{
	const long n = 20000000;
	long i;
	uint64_t t0;

	cur = "schedule_unschedule_ns";
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		rump_schedule();
		rump_unschedule();
	}
	emit(cur, (double)(now_ns() - t0) / n, "ns/op");
}

static void
bench_dup_close(void)
{
	const long n = 2000000;
	long i;
	uint64_t t0;
	int fd, rv;

	cur = "dup_close_ns";
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fd = rump_sys_dup(1);
		CHECK(fd == 3, "rump_sys_dup(1)", fd);
		rv = rump_sys_close(fd);
		CHECK(rv == 0, "rump_sys_close", rv);
	}
	emit(cur, (double)(now_ns() - t0) / n, "ns/op");
}

static void
bench_sysctl(void)
{
	const long n = 1000000;
	int mib[2] = { RUMP_CTL_KERN, RUMP_KERN_OSTYPE };
	char buf[32];
	size_t len;
	long i;
	uint64_t t0;
	int rv;

	cur = "sysctl_ostype_ns";
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		len = sizeof(buf);
		rv = rump_sys___sysctl(mib, 2, buf, &len, NULL, 0);
		CHECK(rv == 0 && len == 7 && buf[0] == 'N', "rump_sys___sysctl", rv);
	}
	emit(cur, (double)(now_ns() - t0) / n, "ns/op");
}

static void *
short_thread(void *arg)
{
	pid_t p = rump_sys_getpid();

	(void)arg;
	CHECK(p == 1, "rump_sys_getpid in a new thread", p);
	return NULL;
}

/*
 * Short-lived host threads, each making one call (and so one implicit lwp):
 * time per thread, and resident memory left behind (a leak shows here).
 */
static void
bench_threads(void)
{
	const long n = 100000;		/* a leak of 64 bytes a thread shows as 6 MiB */
	long i, before;
	uint64_t t0;
	pthread_t t;

	cur = "implicit_thread_us";
	for (i = 0; i < 200; i++) {		/* warm the allocator */
		CHECK(pthread_create(&t, NULL, short_thread, NULL) == 0, "pthread_create", i);
		pthread_join(t, NULL);
	}
	before = rss_kb();
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		CHECK(pthread_create(&t, NULL, short_thread, NULL) == 0, "pthread_create", i);
		pthread_join(t, NULL);
	}
	emit(cur, (double)(now_ns() - t0) / n / 1e3, "us/thread");
	emit("implicit_threads_rss_growth_kb", (double)(rss_kb() - before), "KiB");
}

int
main(void)
{
	int rv = rump_init();

	CHECK(rv == 0, "rump_init", rv);
	bench_enosys();
	bench_schedule();
	bench_sysctl();
	bench_threads();
	rv = rump_pub_lwproc_rfork(RUMP_RFFDG);
	CHECK(rv == 0, "rump_pub_lwproc_rfork", rv);
	bench_dup_close();
	return 0;
}
