/* libs: -lrump -lrumpuser */
/*
 * 10_boot: rump_init and the boot parameters.
 *
 * Before rump_init every rump_sys_* call fails with ENOSYS (78) and the
 * version calls already work; rump_init is idempotent.  Boot parameters are
 * read from the environment, so each variant boots a fresh kernel in a
 * sub-process: RUMP_NCPU (a number or "host"; 0 or garbage give EINVAL
 * from rump_init, where the reference panics), RUMP_MEMLIMIT (bytes with a
 * k/m/g suffix), RUMP_VERBOSE (boot messages on stderr), RUMP_HOSTNAME.
 * rump_boot_sethowto/gethowto set boothowto before boot (default
 * RUMP_AB_SILENT).
 */
#include "../harness.h"

static void
report_init(int rv)
{
	h_report("init", rv, 0);
}

static int
sub_main(const char *mode)
{
	char buf[512];
	int rv;

	if (strcmp(mode, "quiet") == 0) {
		report_init(rump_init());
		return 0;
	}
	if (strcmp(mode, "ncpu") == 0) {
		rv = rump_init();
		report_init(rv);
		if (rv == 0) {
			h_report("ncpu", h_sysctl_int(RUMP_CTL_HW, RUMP_HW_NCPU), 0);
		} else {
			/* still not booted: calls fail, a fixed retry boots */
			H_REPORT_CALL("getpid", rump_sys_getpid());
			unsetenv("RUMP_NCPU");
			h_report("retry", rump_init(), 0);
			h_report("ncpu", h_sysctl_int(RUMP_CTL_HW, RUMP_HW_NCPU), 0);
		}
		return 0;
	}
	if (strcmp(mode, "mem") == 0) {
		rv = rump_init();
		report_init(rv);
		if (rv == 0)
			h_report("physmem64",
			    h_sysctl_quad(RUMP_CTL_HW, RUMP_HW_PHYSMEM64), 0);
		return 0;
	}
	if (strcmp(mode, "hostname") == 0) {
		report_init(rump_init());
		printf("@hostname %s\n",
		    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)));
		return 0;
	}
	if (strcmp(mode, "howto") == 0) {
		h_report("howto0", rump_boot_gethowto(), 0);
		rump_boot_sethowto(RUMP_AB_SILENT | RUMP_AB_DEBUG);
		h_report("howto1", rump_boot_gethowto(), 0);
		rump_boot_sethowto(RUMP_AB_VERBOSE);
		h_report("howto2", rump_boot_gethowto(), 0);
		report_init(rump_init());
		return 0;
	}
	if (strcmp(mode, "evcnts") == 0) {
		report_init(rump_init());
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
			rump_pub_lwproc_releaselwp();
		rump_printevcnts();
		h_report("printed", 1, 0);
		return 0;
	}
	if (strcmp(mode, "sigmodel") == 0) {
		rump_boot_setsigmodel(RUMP_SIGMODEL_IGNORE);
		report_init(rump_init());
		h_report("getpid", rump_sys_getpid(), 0);
		return 0;
	}
	if (strcmp(mode, "preinit") == 0) {
		/* a fresh process: nothing booted yet */
		H_REPORT_CALL("getpid", rump_sys_getpid());
		return 0;
	}
	fprintf(stderr, "unknown sub-process mode %s\n", mode);
	return 2;
}

int
main(int argc, char **argv)
{
	static struct h_sub r;
	char buf[512], want[512], host[256];
	long retval[2];
	struct rump_timespec ts;
	int mib[2] = { RUMP_CTL_KERN, RUMP_KERN_OSTYPE };
	size_t len;
	long long ncpu_host;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("10_boot");

	/* ---- before rump_init ---- */
	CHECK_EQ("rump_getversion() before boot is 799003400", rump_getversion(),
	    799003400);
	CHECK_EQ("rump_pub_getversion() is 799003400", rump_pub_getversion(),
	    799003400);
	CHECK_EQ("rump_nativeabi_p() is 1 on amd64", rump_nativeabi_p(), 1);
	CHECK_EQ("rump_boot_gethowto() defaults to RUMP_AB_SILENT (0x40000)",
	    rump_boot_gethowto(), RUMP_AB_SILENT);
	CHECK_NULL("rump_pub_lwproc_curlwp() before boot is NULL",
	    rump_pub_lwproc_curlwp());
	CHECK_ERR("rump_sys_getpid() before boot: -1, ENOSYS", rump_sys_getpid(),
	    RUMP_ENOSYS);
	CHECK_ERR("rump_sys_getuid() before boot: (uid_t)-1, ENOSYS",
	    (int)rump_sys_getuid(), RUMP_ENOSYS);
	CHECK_ERR("rump_sys_setuid(0) before boot: -1, ENOSYS", rump_sys_setuid(0),
	    RUMP_ENOSYS);
	len = sizeof(buf);
	CHECK_ERR("rump_sys___sysctl(kern.ostype) before boot: -1, ENOSYS",
	    rump_sys___sysctl(mib, 2, buf, &len, NULL, 0), RUMP_ENOSYS);
	CHECK_ERR("rump_sys_clock_gettime() before boot: -1, ENOSYS",
	    rump_sys_clock_gettime(RUMP_CLOCK_REALTIME, (void *)&ts), RUMP_ENOSYS);
	retval[0] = retval[1] = -7;
	CHECK_EQ("rump_syscall(SYS_getpid) before boot returns ENOSYS",
	    rump_syscall(RUMP_SYS_getpid, NULL, 0, retval), RUMP_ENOSYS);

	/* ---- boot ---- */
	H_BOOT();
	CHECK_EQ("second rump_init() returns 0", rump_init(), 0);
	CHECK_EQ("third rump_init() returns 0", rump_init(), 0);
	CHECK_EQ("rump_sys_getpid() after boot is 1", rump_sys_getpid(), 1);
	CHECK_EQ("rump_getversion() after boot is 799003400", rump_getversion(),
	    799003400);
	CHECK_EQ("kern.osrevision == rump_getversion()",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_OSREV), rump_getversion());
	CHECK_EQ("hw.ncpu is 2 with RUMP_NCPU unset",
	    h_sysctl_int(RUMP_CTL_HW, RUMP_HW_NCPU), 2);
	memset(host, 0, sizeof(host));
	gethostname(host, sizeof(host) - 1);
	snprintf(want, sizeof(want), "rump-%05d.%s", (int)getpid(), host);
	CHECK_STR("kern.hostname defaults to rump-<5-digit pid>.<host name>",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)), want);
	CHECK_NE("hw.physmem64 without RUMP_MEMLIMIT is positive",
	    h_sysctl_quad(RUMP_CTL_HW, RUMP_HW_PHYSMEM64) > 0, 0);

	/* entering and leaving the kernel by hand */
	rump_schedule();
	rump_unschedule();
	CHECK_EQ("rump_schedule()/rump_unschedule(): getpid() afterwards is 1",
	    rump_sys_getpid(), 1);
	REQUIRE("rfork() returns 0", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	{
		struct lwp *l = rump_pub_lwproc_curlwp();

		rump_schedule();
		rump_unschedule();
		CHECK_TRUE("rump_schedule()/rump_unschedule() keep curlwp",
		    rump_pub_lwproc_curlwp() == l);
		CHECK_EQ("... and getpid() is 2", rump_sys_getpid(), 2);
		rump_pub_lwproc_releaselwp();
	}

	/* the same in a fresh process: calls before boot fail with ENOSYS */
	h_run_sub("preinit", NULL, 20, &r);
	h_check_sub_val("fresh process: rump_sys_getpid() before boot is -1/ENOSYS",
	    &r, "getpid", -1, RUMP_ENOSYS);

	/* ---- a quiet boot prints nothing ---- */
	h_run_sub("quiet", NULL, 20, &r);
	CHECK_SUB_EXIT("quiet boot: the sub-process exits 0", &r, 0);
	CHECK_STR("quiet boot: stdout holds only our report", r.out, "@init 0 0\n");
	CHECK_STR("quiet boot: nothing on stderr", r.err, "");

	/* ---- RUMP_VERBOSE ---- */
	{
		const char *env[] = { "RUMP_VERBOSE=1", "RUMP_NCPU=4", NULL };

		h_run_sub("quiet", env, 20, &r);
		h_check_sub_val("RUMP_VERBOSE=1: rump_init() returns 0", &r,
		    "init", 0, H_ANY);
		CHECK_CONTAINS("RUMP_VERBOSE=1: boot messages on stderr mention NetBSD",
		    r.err, "NetBSD");
		CHECK_CONTAINS("RUMP_VERBOSE=1: stderr has \"cpu0 at thinair0\"",
		    r.err, "cpu0 at thinair0");
		CHECK_CONTAINS("RUMP_VERBOSE=1 RUMP_NCPU=4: stderr has \"cpu3 at thinair0\"",
		    r.err, "cpu3 at thinair0");
		CHECK_NOT_CONTAINS("RUMP_VERBOSE=1 RUMP_NCPU=4: no \"cpu4 at thinair0\"",
		    r.err, "cpu4 at thinair0");
	}
	{
		const char *env[] = { "RUMP_VERBOSE=0", NULL };

		h_run_sub("quiet", env, 20, &r);
		CHECK_STR("RUMP_VERBOSE=0: a quiet boot, nothing on stderr", r.err, "");
	}

	/* ---- boothowto ---- */
	h_run_sub("howto", NULL, 20, &r);
	h_check_sub_val("rump_boot_gethowto() in a fresh process is RUMP_AB_SILENT",
	    &r, "howto0", RUMP_AB_SILENT, H_ANY);
	h_check_sub_val("rump_boot_sethowto(AB_SILENT|AB_DEBUG) reads back",
	    &r, "howto1", RUMP_AB_SILENT | RUMP_AB_DEBUG, H_ANY);
	h_check_sub_val("rump_boot_sethowto(AB_VERBOSE) reads back 0x20000",
	    &r, "howto2", RUMP_AB_VERBOSE, H_ANY);
	h_check_sub_val("boot after sethowto(AB_VERBOSE) returns 0", &r, "init",
	    0, H_ANY);
	CHECK_CONTAINS("boot after sethowto(AB_VERBOSE) prints \"cpu0 at thinair0\"",
	    r.err, "cpu0 at thinair0");

	/* ---- RUMP_NCPU ---- */
	{
		const char *env[] = { "RUMP_NCPU=4", NULL };

		h_run_sub("ncpu", env, 20, &r);
		h_check_sub_val("RUMP_NCPU=4: rump_init() returns 0", &r, "init", 0,
		    H_ANY);
		h_check_sub_val("RUMP_NCPU=4: hw.ncpu is 4", &r, "ncpu", 4, H_ANY);
	}
	{
		const char *env[] = { "RUMP_NCPU=1", NULL };

		h_run_sub("ncpu", env, 20, &r);
		h_check_sub_val("RUMP_NCPU=1: hw.ncpu is 1", &r, "ncpu", 1, H_ANY);
	}
	{
		const char *env[] = { "RUMP_NCPU=host", NULL };

		ncpu_host = sysconf(_SC_NPROCESSORS_ONLN);
		h_run_sub("ncpu", env, 20, &r);
		h_check_sub_val("RUMP_NCPU=host: rump_init() returns 0", &r, "init",
		    0, H_ANY);
		h_check_sub_val(H_WHAT("RUMP_NCPU=host: hw.ncpu is the host's %lld CPUs",
		    ncpu_host), &r, "ncpu", ncpu_host, H_ANY);
	}
	{
		const char *bad[] = { "0", "abc", "-3" };
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			const char *env[] = { NULL, NULL };
			char e[64];

			snprintf(e, sizeof(e), "RUMP_NCPU=%s", bad[i]);
			env[0] = e;
			h_run_sub("ncpu", env, 20, &r);
			CHECK_SUB_EXIT(H_WHAT("%s: no crash, the process exits 0", e),
			    &r, 0);
			h_check_sub_val(H_WHAT("%s: rump_init() returns EINVAL (22)", e),
			    &r, "init", RUMP_EINVAL, H_ANY);
			CHECK_TRUE(H_WHAT("%s: a message on stderr", e), r.errlen > 0);
			h_check_sub_val(H_WHAT("%s: after the failed boot getpid is still "
			    "-1/ENOSYS", e), &r, "getpid", -1, RUMP_ENOSYS);
			h_check_sub_val(H_WHAT("%s: rump_init() with RUMP_NCPU unset then "
			    "boots", e), &r, "retry", 0, H_ANY);
			h_check_sub_val(H_WHAT("%s: ... with 2 CPUs", e), &r, "ncpu", 2,
			    H_ANY);
		}
	}

	/* ---- RUMP_MEMLIMIT ---- */
	{
		const char *env[] = { "RUMP_MEMLIMIT=64m", NULL };

		h_run_sub("mem", env, 20, &r);
		h_check_sub_val("RUMP_MEMLIMIT=64m: rump_init() returns 0", &r, "init",
		    0, H_ANY);
		h_check_sub_val("RUMP_MEMLIMIT=64m: hw.physmem64 is 67108864", &r,
		    "physmem64", 67108864LL, H_ANY);
	}
	{
		const char *env[] = { "RUMP_MEMLIMIT=65536k", NULL };

		h_run_sub("mem", env, 20, &r);
		h_check_sub_val("RUMP_MEMLIMIT=65536k: hw.physmem64 is 67108864", &r,
		    "physmem64", 67108864LL, H_ANY);
	}
	{
		const char *env[] = { "RUMP_MEMLIMIT=1g", NULL };

		h_run_sub("mem", env, 20, &r);
		h_check_sub_val("RUMP_MEMLIMIT=1g: hw.physmem64 is 1073741824", &r,
		    "physmem64", 1073741824LL, H_ANY);
	}
	{
		const char *env[] = { "RUMP_MEMLIMIT=134217728", NULL };

		h_run_sub("mem", env, 20, &r);
		h_check_sub_val("RUMP_MEMLIMIT=134217728 (bytes): hw.physmem64 matches",
		    &r, "physmem64", 134217728LL, H_ANY);
	}
	{
		const char *env[] = { "RUMP_MEMLIMIT=12q", NULL };

		h_run_sub("mem", env, 20, &r);
		CHECK_SUB_EXIT("RUMP_MEMLIMIT=12q: no crash, the process exits 0", &r, 0);
		h_check_sub_val("RUMP_MEMLIMIT=12q: rump_init() returns EINVAL (22)", &r,
		    "init", RUMP_EINVAL, H_ANY);
		CHECK_TRUE("RUMP_MEMLIMIT=12q: a message on stderr", r.errlen > 0);
	}

	/* ---- RUMP_THREADS ---- */
	{
		const char *env[] = { "RUMP_THREADS=0", NULL };

		h_run_sub("ncpu", env, 20, &r);
		h_check_sub_val("RUMP_THREADS=0: rump_init() returns 0", &r, "init", 0,
		    H_ANY);
		h_check_sub_val("RUMP_THREADS=0: hw.ncpu is 2", &r, "ncpu", 2, H_ANY);
	}

	/* ---- rump_boot_setsigmodel, rump_printevcnts ---- */
	h_run_sub("sigmodel", NULL, 20, &r);
	h_check_sub_val("boot after rump_boot_setsigmodel(IGNORE) returns 0", &r,
	    "init", 0, H_ANY);
	h_check_sub_val("... getpid() is 1", &r, "getpid", 1, H_ANY);
	h_run_sub("evcnts", NULL, 20, &r);
	CHECK_SUB_EXIT("rump_printevcnts(): the process exits 0", &r, 0);
	h_check_sub_val("... and returns", &r, "printed", 1, H_ANY);
	CHECK_TRUE("... printing counters on stderr", r.errlen > 0);
	{
		/* the reference prints "<group> / <name>: <count>" per counter */
		char *line, *save = NULL, copy[H_SUB_CAP];
		int lines = 0, good = 0;

		memcpy(copy, r.err, r.errlen + 1);
		for (line = strtok_r(copy, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			char *slash = strstr(line, " / ");
			char *colon = slash ? strstr(slash + 3, ": ") : NULL;
			unsigned long long n;
			char end;

			lines++;
			if (slash != NULL && slash > line && colon != NULL &&
			    colon > slash + 3 &&
			    sscanf(colon + 2, "%llu%c", &n, &end) == 1)
				good++;
		}
		CHECK_TRUE("... every line is \"<group> / <name>: <count>\"",
		    lines > 0 && good == lines);
		if (good != lines)
			h_note("rump_printevcnts() printed: %.300s", r.err);
	}

	/* ---- RUMP_HOSTNAME (an extension the reference does not read) ---- */
	{
		const char *env[] = { "RUMP_HOSTNAME=foo", NULL };

		h_run_sub("hostname", env, 20, &r);
		CHECK_STR("RUMP_HOSTNAME=foo: kern.hostname is \"foo\"",
		    h_sub_str(&r, "hostname"), "foo");
	}

	return h_end();
}
