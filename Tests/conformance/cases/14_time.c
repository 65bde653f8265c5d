/* libs: -lrump -lrumpuser */
/*
 * 14_time: clocks and sleeping, with NetBSD clock ids and layouts.
 *
 * CLOCK_REALTIME (0) follows the host's clock, CLOCK_MONOTONIC (3) never
 * goes back, other ids are EINVAL.  clock_getres reports 1 ns for a
 * nanosecond time counter (NetBSD: 1e9 / counter frequency).  gettimeofday
 * fills NetBSD's 16-byte timeval and a zeroed timezone.  nanosleep sleeps at
 * least as long as asked; a timespec with tv_nsec outside 0..999999999 or
 * a negative tv_sec is EINVAL.  clock_nanosleep returns its error number
 * and leaves errno alone.  Setting the clock is root's (EPERM otherwise),
 * CLOCK_MONOTONIC cannot be set (EINVAL).
 */
#include "../harness.h"

static double
ts_sec(const struct rump_timespec *ts)
{
	return ts->tv_sec + ts->tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct rump_timespec ts, ts2, rq, rm;
	struct rump_timeval tv;
	struct rump_timezone tz;
	unsigned char raw[32];
	double t0, t1, host;
	int i, backwards = 0, e, saved;

	(void)argc;
	(void)argv;
	h_begin("14_time");
	H_BOOT();

	/* ---- clock_gettime ---- */
	memset(&ts, 0xa5, sizeof(ts));
	host = h_realtime();
	CHECK_EQ("clock_gettime(CLOCK_REALTIME) returns 0",
	    rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts), 0);
	CHECK_RANGE("... within 1 s of the host's realtime clock",
	    (long long)((ts_sec(&ts) - host) * 1000), -1000, 1000);
	CHECK_RANGE("... tv_nsec in 0..999999999", (long long)ts.tv_nsec, 0,
	    999999999);
	memset(&ts, 0xa5, sizeof(ts));
	CHECK_EQ("clock_gettime(CLOCK_MONOTONIC) returns 0",
	    rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, (void *)&ts), 0);
	CHECK_RANGE("... tv_nsec in 0..999999999", (long long)ts.tv_nsec, 0,
	    999999999);
	for (i = 0; i < 10000; i++) {
		if (rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, (void *)&ts2) != 0 ||
		    h_ts_diff_ns(&ts, &ts2) < 0) {
			backwards++;
		}
		ts = ts2;
	}
	CHECK_EQ("10000 CLOCK_MONOTONIC reads never go backwards", backwards, 0);
	CHECK_ERR("clock_gettime(99) fails with EINVAL",
	    rump_sys_clock_gettime(99, (void *)&ts), RUMP_EINVAL);
	CHECK_ERR("clock_gettime(-1) fails with EINVAL",
	    rump_sys_clock_gettime(-1, (void *)&ts), RUMP_EINVAL);
	CHECK_ERR("clock_gettime(CLOCK_REALTIME, NULL) fails with EFAULT",
	    rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, NULL), RUMP_EFAULT);

	/* ---- clock_getres ---- */
	memset(&ts, 0xa5, sizeof(ts));
	CHECK_EQ("clock_getres(CLOCK_MONOTONIC) returns 0",
	    rump_sys_clock_getres(RUMP_CLOCK_MONOTONIC, (void *)&ts), 0);
	CHECK_EQ("... tv_sec 0", (long long)ts.tv_sec, 0);
	CHECK_EQ("... tv_nsec 1", (long long)ts.tv_nsec, 1);
	memset(&ts, 0xa5, sizeof(ts));
	CHECK_EQ("clock_getres(CLOCK_REALTIME) returns 0",
	    rump_sys_clock_getres(RUMP_CLOCK_REALTIME, (void *)&ts), 0);
	CHECK_TRUE("... {0, 1}", ts.tv_sec == 0 && ts.tv_nsec == 1);
	CHECK_EQ("clock_getres(CLOCK_MONOTONIC, NULL) returns 0",
	    rump_sys_clock_getres(RUMP_CLOCK_MONOTONIC, NULL), 0);
	CHECK_ERR("clock_getres(99) fails with EINVAL",
	    rump_sys_clock_getres(99, (void *)&ts), RUMP_EINVAL);
	CHECK_ERR("clock_getres(99, NULL) fails with EINVAL",
	    rump_sys_clock_getres(99, NULL), RUMP_EINVAL);

	/* ---- gettimeofday ---- */
	memset(raw, 0xa5, sizeof(raw));
	host = h_realtime();
	CHECK_EQ("gettimeofday(tv, NULL) returns 0",
	    rump_sys_gettimeofday((void *)raw, NULL), 0);
	memcpy(&tv, raw, sizeof(tv));
	CHECK_RANGE("... tv_sec within 1 s of the host", (long long)tv.tv_sec,
	    (long long)host - 1, (long long)host + 1);
	CHECK_RANGE("... tv_usec (32-bit, offset 8) in 0..999999",
	    (long long)tv.tv_usec, 0, 999999);
	CHECK_EQ("... nothing written past the 16-byte timeval", raw[16], 0xa5);
	memset(&tz, 0xa5, sizeof(tz));
	CHECK_EQ("gettimeofday(tv, tz) returns 0",
	    rump_sys_gettimeofday((void *)&tv, &tz), 0);
	CHECK_TRUE("... the timezone is zeroed",
	    tz.tz_minuteswest == 0 && tz.tz_dsttime == 0);
	CHECK_EQ("gettimeofday(NULL, NULL) returns 0",
	    rump_sys_gettimeofday(NULL, NULL), 0);

	/* ---- nanosleep ---- */
	rq.tv_sec = 0;
	rq.tv_nsec = 50 * 1000 * 1000;
	memset(&rm, 0xa5, sizeof(rm));
	t0 = h_mono();
	CHECK_EQ("nanosleep(50 ms) returns 0",
	    rump_sys_nanosleep((void *)&rq, (void *)&rm), 0);
	t1 = h_mono();
	CHECK_RANGE("... took 50 ms .. 2 s (in ms)", (long long)((t1 - t0) * 1000),
	    50, 2000);
	CHECK_TRUE("... the remaining time is {0, 0}",
	    rm.tv_sec == 0 && rm.tv_nsec == 0);
	rq.tv_sec = 0;
	rq.tv_nsec = 0;
	CHECK_EQ("nanosleep({0, 0}) returns 0", rump_sys_nanosleep((void *)&rq, NULL),
	    0);
	rq.tv_sec = 0;
	rq.tv_nsec = 1000000000;
	CHECK_ERR("nanosleep(tv_nsec = 1000000000) fails with EINVAL",
	    rump_sys_nanosleep((void *)&rq, NULL), RUMP_EINVAL);
	rq.tv_nsec = -1;
	CHECK_ERR("nanosleep(tv_nsec = -1) fails with EINVAL",
	    rump_sys_nanosleep((void *)&rq, NULL), RUMP_EINVAL);
	rq.tv_sec = -1;
	rq.tv_nsec = 0;
	t0 = h_mono();
	CHECK_ERR("nanosleep(tv_sec = -1) fails with EINVAL",
	    rump_sys_nanosleep((void *)&rq, NULL), RUMP_EINVAL);
	CHECK_RANGE("... at once (ms)", (long long)((h_mono() - t0) * 1000), 0, 500);
	CHECK_ERR("nanosleep(NULL) fails with EFAULT",
	    rump_sys_nanosleep(NULL, NULL), RUMP_EFAULT);

	/* ---- clock_nanosleep: the error is the result, errno untouched ---- */
	rq.tv_sec = 0;
	rq.tv_nsec = 20 * 1000 * 1000;
	t0 = h_mono();
	errno = 1234;
	CHECK_EQ("clock_nanosleep(MONOTONIC, 0, 20 ms) returns 0",
	    rump_sys_clock_nanosleep(RUMP_CLOCK_MONOTONIC, 0, (void *)&rq, NULL), 0);
	t1 = h_mono();
	CHECK_RANGE("... took 20 ms .. 2 s (in ms)", (long long)((t1 - t0) * 1000),
	    20, 2000);
	rq.tv_nsec = 1000000000;
	errno = 1234;
	e = rump_sys_clock_nanosleep(RUMP_CLOCK_MONOTONIC, 0, (void *)&rq, NULL);
	saved = errno;
	CHECK_EQ("clock_nanosleep(tv_nsec = 1e9) returns EINVAL (22) itself", e,
	    RUMP_EINVAL);
	CHECK_EQ("... and leaves errno alone", saved, 1234);
	rq.tv_nsec = 1000;
	errno = 1234;
	e = rump_sys_clock_nanosleep(99, 0, (void *)&rq, NULL);
	saved = errno;
	CHECK_EQ("clock_nanosleep(99, ...) returns EINVAL (22)", e, RUMP_EINVAL);
	CHECK_EQ("... and leaves errno alone", saved, 1234);
	errno = 1234;
	e = rump_sys_clock_nanosleep(RUMP_CLOCK_MONOTONIC, 0, NULL, NULL);
	saved = errno;
	CHECK_EQ("clock_nanosleep(NULL request) returns EFAULT (14)", e, RUMP_EFAULT);
	CHECK_EQ("... and leaves errno alone", saved, 1234);
	/* an absolute deadline 30 ms ahead */
	rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, (void *)&rq);
	rq.tv_nsec += 30 * 1000 * 1000;
	if (rq.tv_nsec >= 1000000000) {
		rq.tv_sec++;
		rq.tv_nsec -= 1000000000;
	}
	t0 = h_mono();
	CHECK_EQ("clock_nanosleep(MONOTONIC, TIMER_ABSTIME, now + 30 ms) returns 0",
	    rump_sys_clock_nanosleep(RUMP_CLOCK_MONOTONIC, RUMP_TIMER_ABSTIME,
	    (void *)&rq, NULL), 0);
	CHECK_RANGE("... took up to 2 s (in ms)", (long long)((h_mono() - t0) * 1000),
	    0, 2000);
	rump_sys_clock_gettime(RUMP_CLOCK_MONOTONIC, (void *)&ts);
	CHECK_TRUE("... and the deadline has passed", h_ts_diff_ns(&rq, &ts) >= 0);

	/* ---- setting the clock ---- */
	CHECK_ERR("clock_settime(CLOCK_MONOTONIC) as root fails with EINVAL",
	    rump_sys_clock_settime(RUMP_CLOCK_MONOTONIC, (void *)&ts), RUMP_EINVAL);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts);
	ts.tv_sec += 1000;
	CHECK_EQ("clock_settime(CLOCK_REALTIME, now + 1000 s) as root returns 0",
	    rump_sys_clock_settime(RUMP_CLOCK_REALTIME, (void *)&ts), 0);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts2);
	host = h_realtime();
	CHECK_RANGE("... CLOCK_REALTIME is now 1000 s ahead of the host (ms)",
	    (long long)((ts_sec(&ts2) - host) * 1000), 999000, 1001000);
	rump_sys_gettimeofday((void *)&tv, NULL);
	CHECK_RANGE("... and so is gettimeofday (s)", (long long)(tv.tv_sec - host),
	    998, 1002);
	ts.tv_nsec = 1000000000;
	CHECK_ERR("clock_settime with tv_nsec = 1e9 fails with EINVAL",
	    rump_sys_clock_settime(RUMP_CLOCK_REALTIME, (void *)&ts), RUMP_EINVAL);
	CHECK_ERR("clock_settime(CLOCK_REALTIME, NULL) fails with EFAULT",
	    rump_sys_clock_settime(RUMP_CLOCK_REALTIME, NULL), RUMP_EFAULT);
	host = h_realtime();
	ts.tv_sec = (int64_t)host;
	ts.tv_nsec = (long)((host - (double)ts.tv_sec) * 1e9);
	CHECK_EQ("clock_settime(CLOCK_REALTIME, host now) restores it",
	    rump_sys_clock_settime(RUMP_CLOCK_REALTIME, (void *)&ts), 0);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts2);
	CHECK_RANGE("... CLOCK_REALTIME is back within 1 s of the host (ms)",
	    (long long)((ts_sec(&ts2) - h_realtime()) * 1000), -1000, 1000);
	tv.tv_sec = (int64_t)h_realtime() + 500;
	tv.tv_usec = 0;
	CHECK_EQ("settimeofday(now + 500 s) as root returns 0",
	    rump_sys_settimeofday((void *)&tv, NULL), 0);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts2);
	CHECK_RANGE("... CLOCK_REALTIME moved 500 s ahead (s)",
	    (long long)(ts2.tv_sec - (int64_t)h_realtime()), 498, 502);
	tv.tv_sec = (int64_t)h_realtime();
	tv.tv_usec = 1000000;
	CHECK_ERR("settimeofday with tv_usec = 1000000 fails with EINVAL",
	    rump_sys_settimeofday((void *)&tv, NULL), RUMP_EINVAL);
	host = h_realtime();
	tv.tv_sec = (int64_t)host;
	tv.tv_usec = (int32_t)((host - (double)tv.tv_sec) * 1e6);
	CHECK_EQ("settimeofday(host now) restores it",
	    rump_sys_settimeofday((void *)&tv, NULL), 0);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts2);
	CHECK_RANGE("... CLOCK_REALTIME is back within 1 s of the host (ms)",
	    (long long)((ts_sec(&ts2) - h_realtime()) * 1000), -1000, 1000);

	REQUIRE("rfork() for the non-root child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	REQUIRE("setuid(1000) returns 0", rump_sys_setuid(1000) == 0);
	tv.tv_sec = (int64_t)h_realtime() + 100;
	tv.tv_usec = 0;
	CHECK_ERR("settimeofday() as non-root fails with EPERM",
	    rump_sys_settimeofday((void *)&tv, NULL), RUMP_EPERM);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts);
	ts.tv_sec += 100;
	CHECK_ERR("clock_settime(CLOCK_REALTIME) as non-root fails with EPERM",
	    rump_sys_clock_settime(RUMP_CLOCK_REALTIME, (void *)&ts), RUMP_EPERM);
	rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts2);
	CHECK_RANGE("... the clock did not move (ms from the host)",
	    (long long)((ts_sec(&ts2) - h_realtime()) * 1000), -1000, 1000);
	CHECK_EQ("non-root may read the clock", rump_sys_clock_gettime(
	    RUMP_CLOCK_MONOTONIC, (void *)&ts), 0);
	rump_pub_lwproc_releaselwp();

	return h_end();
}
