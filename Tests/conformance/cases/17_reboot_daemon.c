/* libs: -lrump -lrumpuser */
/*
 * 17_reboot_daemon: halting the kernel and daemonizing, in sub-processes.
 *
 * rump_sys_reboot as root halts the kernel and ends the host process:
 * "rump kernel halting..." ... "halted" on stdout, exit status 0 (RB_DUMP:
 * abort).  As non-root it fails with EPERM and nothing happens.
 * rump_daemonize_begin (before rump_init) forks; the parent waits for the
 * child's rump_daemonize_done(error) and exits with that error (ESRCH if the
 * child dies first); done(0) puts the child's stdio on /dev/null.  begin
 * after rump_init is EALREADY, begin twice EINPROGRESS, done without begin
 * ENOENT, a second done EPIPE.
 */
#include "../harness.h"
#include <sys/resource.h>

#define DAEMON_FILE "daemon.txt"

static int
same_dev(int fd, const struct stat *null)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == null->st_rdev;
}

static int
sub_main(const char *mode)
{
	if (strcmp(mode, "halt") == 0 || strcmp(mode, "autoboot") == 0 ||
	    strcmp(mode, "dump") == 0) {
		int how = strcmp(mode, "halt") == 0 ? RUMP_RB_HALT :
		    strcmp(mode, "dump") == 0 ? RUMP_RB_DUMP : RUMP_RB_AUTOBOOT;

		if (strcmp(mode, "dump") == 0) {
			struct rlimit nocore = { 0, 0 };
			setrlimit(RLIMIT_CORE, &nocore);
		}
		if (rump_init() != 0)
			return 3;
		h_report("before", 1, 0);
		H_REPORT_CALL("reboot", rump_sys_reboot(how, NULL));
		h_report("after", 1, 0);
		return 0;
	}
	if (strcmp(mode, "halt_nonroot") == 0) {
		if (rump_init() != 0)
			return 3;
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
		    rump_sys_setuid(1000) != 0)
			return 4;
		H_REPORT_CALL("reboot", rump_sys_reboot(RUMP_RB_HALT, NULL));
		H_REPORT_CALL("reboot0", rump_sys_reboot(RUMP_RB_AUTOBOOT, NULL));
		h_report("alive", rump_sys_getpid(), rump_sys_getuid());
		return 0;
	}
	if (strcmp(mode, "done_noinit") == 0) {
		h_report("done", rump_daemonize_done(0), 0);
		return 0;
	}
	if (strcmp(mode, "daemon") == 0) {
		struct stat null;
		int begin, again, init, done, done2, stdio, sid;
		FILE *f;

		begin = rump_daemonize_begin();
		/* only the child gets here; the parent exits from begin */
		again = rump_daemonize_begin();
		init = rump_init();
		h_report("prestdio", 1, 0);
		done = rump_daemonize_done(0);
		printf("@poststdio 1 0\n");
		fflush(stdout);
		fprintf(stderr, "after done\n");
		done2 = rump_daemonize_done(0);
		stdio = stat("/dev/null", &null) == 0 && same_dev(0, &null) &&
		    same_dev(1, &null) && same_dev(2, &null);
		sid = getsid(0) == getpid();
		f = fopen(DAEMON_FILE ".tmp", "w");
		if (f != NULL) {
			fprintf(f, "@begin %d 0\n@again %d 0\n@init %d 0\n@done %d 0\n"
			    "@done2 %d 0\n@stdio %d 0\n@sid %d 0\n@getpid %d 0\n",
			    begin, again, init, done, done2, stdio, sid,
			    (int)rump_sys_getpid());
			fclose(f);
			rename(DAEMON_FILE ".tmp", DAEMON_FILE);
		}
		_exit(0);
	}
	if (strcmp(mode, "daemon_fail") == 0) {
		if (rump_daemonize_begin() != 0)
			_exit(10);
		if (rump_init() != 0)
			_exit(11);
		rump_daemonize_done(7);
		_exit(0);
	}
	if (strcmp(mode, "daemon_die") == 0) {
		if (rump_daemonize_begin() != 0)
			_exit(10);
		_exit(0);	/* dies without reporting */
	}
	return 2;
}

int
main(int argc, char **argv)
{
	static struct h_sub r, d;
	const char *halting, *halted, *before;
	double t0;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("17_reboot_daemon");

	/* ---- reboot ---- */
	h_run_sub("halt", NULL, 30, &r);
	CHECK_SUB_EXIT("reboot(RB_HALT) as root ends the process with status 0",
	    &r, 0);
	CHECK_CONTAINS("... after printing \"rump kernel halting...\" on stdout",
	    r.out, "rump kernel halting...\n");
	CHECK_CONTAINS("... and \"halted\" on stdout", r.out, "halted\n");
	halting = strstr(r.out, "rump kernel halting...");
	halted = strstr(r.out, "halted\n");
	before = strstr(r.out, "@before 1 0\n");
	CHECK_TRUE("... in order: our line, \"rump kernel halting...\", \"halted\"",
	    before != NULL && halting != NULL && halted != NULL &&
	    before < halting && halting < halted);
	CHECK_TRUE("... \"halted\" is the last line",
	    halted != NULL && halted[7] == '\0');
	CHECK_NOT_CONTAINS("... and reboot() never returned", r.out, "@reboot");
	CHECK_NOT_CONTAINS("... nothing ran after it", r.out, "@after");

	h_run_sub("autoboot", NULL, 30, &r);
	CHECK_SUB_EXIT("reboot(RB_AUTOBOOT) as root also ends the process with 0",
	    &r, 0);
	CHECK_CONTAINS("... printing \"halted\"", r.out, "halted\n");
	CHECK_NOT_CONTAINS("... and never returns", r.out, "@reboot");

	h_run_sub("dump", NULL, 30, &r);
	CHECK_TRUE("reboot(RB_DUMP) ends the process with SIGABRT",
	    !r.timed_out && r.status != -1 && WIFSIGNALED(r.status) &&
	    WTERMSIG(r.status) == SIGABRT);
	CHECK_NOT_CONTAINS("... and never returns", r.out, "@reboot");

	h_run_sub("halt_nonroot", NULL, 30, &r);
	CHECK_SUB_EXIT("reboot() as non-root: the process goes on and exits 0", &r, 0);
	h_check_sub_val("reboot(RB_HALT) as uid 1000 fails with EPERM", &r, "reboot",
	    -1, RUMP_EPERM);
	h_check_sub_val("reboot(RB_AUTOBOOT) as uid 1000 fails with EPERM", &r,
	    "reboot0", -1, RUMP_EPERM);
	h_check_sub_val("... the kernel keeps running (getpid() is 2)", &r, "alive",
	    2, 1000);
	CHECK_NOT_CONTAINS("... and did not print \"halting\"", r.out, "halting");

	/* ---- daemonize: misuse ---- */
	h_run_sub("done_noinit", NULL, 20, &r);
	h_check_sub_val("rump_daemonize_done(0) without begin returns ENOENT (2)",
	    &r, "done", RUMP_ENOENT, H_ANY);

	H_BOOT();
	CHECK_EQ("rump_daemonize_begin() after rump_init returns EALREADY (37)",
	    rump_daemonize_begin(), RUMP_EALREADY);
	CHECK_EQ("rump_daemonize_done(0) without begin returns ENOENT (2)",
	    rump_daemonize_done(0), RUMP_ENOENT);
	CHECK_EQ("the kernel is unaffected: getpid() is 1", rump_sys_getpid(), 1);

	/* ---- daemonize: the whole dance ---- */
	unlink(DAEMON_FILE);
	t0 = h_mono();
	h_run_sub("daemon", NULL, 30, &r);
	CHECK_SUB_EXIT("begin/init/done(0): the waiting parent exits 0", &r, 0);
	CHECK_RANGE("... promptly (ms)", (long long)((h_mono() - t0) * 1000), 0, 10000);
	CHECK_TRUE("... and the child, still on our pipe before done(), reported",
	    h_sub_val(&r, "prestdio", NULL, NULL) >= 1);
	CHECK_NOT_CONTAINS("... its output after done(0) did not reach us", r.out,
	    "@poststdio");
	CHECK_NOT_CONTAINS("... nor its stderr", r.err, "after done");
	{
		int i;

		for (i = 0; i < 100 && access(DAEMON_FILE, F_OK) != 0; i++)
			usleep(100 * 1000);
		memset(&d, 0, sizeof(d));
		{
			FILE *f = fopen(DAEMON_FILE, "r");
			if (f != NULL) {
				d.outlen = fread(d.out, 1, sizeof(d.out) - 1, f);
				d.out[d.outlen] = '\0';
				fclose(f);
			}
		}
		d.status = 0;
		CHECK_TRUE("the daemon child wrote its report", d.outlen > 0);
		h_check_sub_val("in the child rump_daemonize_begin() returned 0", &d,
		    "begin", 0, H_ANY);
		h_check_sub_val("a second begin in the child returns EINPROGRESS (36)",
		    &d, "again", RUMP_EINPROGRESS, H_ANY);
		h_check_sub_val("rump_init() in the daemon child returns 0", &d, "init",
		    0, H_ANY);
		h_check_sub_val("rump_daemonize_done(0) returns 0", &d, "done", 0,
		    H_ANY);
		h_check_sub_val("a second rump_daemonize_done(0) returns EPIPE (32)", &d,
		    "done2", RUMP_EPIPE, H_ANY);
		h_check_sub_val("after done(0) stdin, stdout and stderr are /dev/null",
		    &d, "stdio", 1, H_ANY);
		h_check_sub_val("the daemon child leads its own host session", &d, "sid",
		    1, H_ANY);
		h_check_sub_val("the daemon child's kernel works: getpid() is 1", &d,
		    "getpid", 1, H_ANY);
	}

	h_run_sub("daemon_fail", NULL, 30, &r);
	CHECK_SUB_EXIT("rump_daemonize_done(7): the waiting parent exits with 7", &r, 7);
	h_run_sub("daemon_die", NULL, 30, &r);
	CHECK_SUB_EXIT("a daemon child that dies before done(): the parent exits with "
	    "ESRCH (3)", &r, 3);

	return h_end();
}
