/*
 * kern_driver: callouts and workqueues from a faction plugin
 * (kern_plugin.c).  With RUMP_THREADS=0 in the environment it checks the
 * no-thread behaviour instead: a due callout runs when a thread leaves the
 * kernel; workqueue_create is EOPNOTSUPP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

void kt_run(void (*check)(const char *, long, long));
void kt_nothreads_arm(void);
int kt_nothreads_fired(void);
int kt_nothreads_wq(void);

static int npass, nfail;

static void
check_int(const char *what, long got, long want)
{
	if (got == want) {
		printf("ok - kern: %s\n", what);
		npass++;
	} else {
		printf("not ok - kern: %s: got %ld want %ld\n", what, got, want);
		nfail++;
	}
}

int
main(void)
{
	const char *t = getenv("RUMP_THREADS");

	check_int("rump_init", rump_init(), 0);
	if (t != NULL && strcmp(t, "0") == 0) {
		rump_schedule();
		kt_nothreads_arm();
		check_int("RUMP_THREADS=0: workqueue_create is EOPNOTSUPP", kt_nothreads_wq(),
		    RUMP_EOPNOTSUPP);
		rump_unschedule();
		usleep(100000);
		check_int("RUMP_THREADS=0: a due callout waits for a kernel entry",
		    kt_nothreads_fired(), 0);
		rump_sys_getpid();
		check_int("... and runs when that thread leaves the kernel", kt_nothreads_fired(), 1);
		rump_sys_getpid();
		check_int("... once", kt_nothreads_fired(), 1);
	} else {
		rump_schedule();
		kt_run(check_int);
		rump_unschedule();
	}
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
