/*
 * bench_util.h -- what the benchmarks in this folder share: a monotonic
 * clock, a check that stops the run (exit 2) naming the benchmark and the
 * call, and the "<name> <value> <unit>" output line.  Each program defines
 * BENCH_NAME before including this.
 */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#define CHECK(cond, what, val) do {					\
	if (__builtin_expect(!(cond), 0)) {				\
		fprintf(stderr, "%s bench: FAILED: %s = %ld (errno %d)\n", \
		    BENCH_NAME, (what), (long)(val), errno);		\
		exit(2);						\
	}								\
} while (0)

static inline void
emit(const char *name, double value, const char *unit)
{
	printf("%s %.1f %s\n", name, value, unit);
	fflush(stdout);
}

#endif /* BENCH_UTIL_H */
