/* libs: -lrump -lrumpuser */
/*
 * 16_syscall: rump_syscall() and the rump_sys_* stub conventions.
 *
 * rump_syscall(num, args, dlen, retval) takes NetBSD's argument block (one
 * 8-byte register_t slot per argument) and returns 0 or a NetBSD errno;
 * numbers outside 0..511 and calls nothing implements give ENOSYS (78);
 * a missing argument block for a call with arguments gives EFAULT, and a
 * NULL retval is allowed.  getpid/getuid/getgid return two registers.
 * The stubs return -1 and set errno to the NetBSD number on failure, set
 * errno to 0 on success, except the calls that cannot fail (getpid,
 * getppid, getuid, ...), which leave errno alone.  With only the kernel
 * core linked (-lrump), file-system and network calls give ENOSYS.
 */
#include "../harness.h"

#define NTHREADS 4
#define CALLS 20000

struct worker {
	int rv;
	pid_t pid;
	int wrong;
	int errno_wrong;
};

static pthread_barrier_t barrier;

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	int i;

	w->rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	w->pid = rump_sys_getpid();
	pthread_barrier_wait(&barrier);
	for (i = 0; i < CALLS; i++) {
		long rv[2] = { -1, -1 };

		if (rump_syscall(RUMP_SYS_getpid, NULL, 0, rv) != 0 ||
		    rv[0] != w->pid || rv[1] != 1)
			w->wrong++;
		/* errno is per thread: a failure here, success elsewhere */
		if ((i & 1) == (w->pid & 1)) {
			if (rump_sys_getpgid(99999) != -1 || errno != RUMP_ESRCH)
				w->errno_wrong++;
		} else {
			if (rump_sys_setuid(0) != 0 || errno != 0)
				w->errno_wrong++;
		}
	}
	pthread_barrier_wait(&barrier);
	if (w->rv == 0)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

int
main(int argc, char **argv)
{
	long rv[2];
	long args[8];
	int fds[2], mib[2], i, saved;
	char buf[64];
	size_t len;

	(void)argc;
	(void)argv;
	h_begin("16_syscall");
	H_BOOT();

	/* ---- numbers ---- */
	CHECK_EQ("rump_syscall(511) (no such call) returns ENOSYS",
	    rump_syscall(511, args, 0, rv), RUMP_ENOSYS);
	CHECK_EQ("rump_syscall(512) (past the table) returns ENOSYS",
	    rump_syscall(512, args, 0, rv), RUMP_ENOSYS);
	CHECK_EQ("rump_syscall(-1) returns ENOSYS", rump_syscall(-1, args, 0, rv),
	    RUMP_ENOSYS);
	CHECK_EQ("rump_syscall(9999) returns ENOSYS", rump_syscall(9999, args, 0, rv),
	    RUMP_ENOSYS);
	CHECK_EQ("rump_syscall(0) (the indirect syscall slot) returns ENOSYS",
	    rump_syscall(0, args, 0, rv), RUMP_ENOSYS);
	memset(args, 0, sizeof(args));
	args[0] = (long)"/x";
	CHECK_EQ("rump_syscall(SYS_open) without the VFS faction returns ENOSYS",
	    rump_syscall(RUMP_SYS_open, args, 3 * sizeof(long), rv), RUMP_ENOSYS);
	CHECK_EQ("rump_syscall(SYS___socket30) without the net faction: ENOSYS",
	    rump_syscall(394, args, 3 * sizeof(long), rv), RUMP_ENOSYS);

	/* ---- argument blocks and return registers ---- */
	rv[0] = rv[1] = -7;
	CHECK_EQ("rump_syscall(SYS_getpid) returns 0",
	    rump_syscall(RUMP_SYS_getpid, NULL, 0, rv), 0);
	CHECK_EQ("... retval[0] is the pid 1", rv[0], 1);
	CHECK_EQ("... retval[1] is the parent pid 0", rv[1], 0);
	CHECK_EQ("rump_syscall(SYS_getpid) with retval NULL returns 0",
	    rump_syscall(RUMP_SYS_getpid, NULL, 0, NULL), 0);
	CHECK_EQ("rump_syscall(SYS_getpid) ignores dlen (12345)",
	    rump_syscall(RUMP_SYS_getpid, NULL, 12345, rv), 0);
	memset(args, 0, sizeof(args));
	args[0] = 0;
	CHECK_EQ("rump_syscall(SYS_setuid, {0}) returns 0",
	    rump_syscall(RUMP_SYS_setuid, args, sizeof(long), rv), 0);
	CHECK_EQ("rump_syscall(SYS_setuid, NULL args) returns EFAULT",
	    rump_syscall(RUMP_SYS_setuid, NULL, sizeof(long), rv), RUMP_EFAULT);
	CHECK_EQ("rump_syscall(SYS___sysctl, NULL args) returns EFAULT",
	    rump_syscall(RUMP_SYS___sysctl, NULL, 6 * sizeof(long), rv),
	    RUMP_EFAULT);
	CHECK_EQ("rump_syscall(SYS_clock_gettime, NULL args) returns EFAULT",
	    rump_syscall(RUMP_SYS_clock_gettime, NULL, 2 * sizeof(long), rv),
	    RUMP_EFAULT);
	CHECK_EQ("the kernel still answers: getpid() is 1", rump_sys_getpid(), 1);

	/* __sysctl through a hand-packed block: one 8-byte slot per argument */
	mib[0] = RUMP_CTL_KERN;
	mib[1] = RUMP_KERN_OSTYPE;
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	memset(args, 0, sizeof(args));
	args[0] = (long)mib;
	args[1] = 2;
	args[2] = (long)buf;
	args[3] = (long)&len;
	args[4] = 0;
	args[5] = 0;
	CHECK_EQ("rump_syscall(SYS___sysctl, kern.ostype) returns 0",
	    rump_syscall(RUMP_SYS___sysctl, args, 6 * sizeof(long), rv), 0);
	CHECK_STR("... \"NetBSD\"", buf, "NetBSD");
	CHECK_EQ("... length 7", len, 7);
	args[1] = 0;
	CHECK_EQ("rump_syscall(SYS___sysctl) with namelen 0 returns EINVAL",
	    rump_syscall(RUMP_SYS___sysctl, args, 6 * sizeof(long), rv), RUMP_EINVAL);

	/* two-register results */
	REQUIRE("rfork() for the id child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	REQUIRE("setgid(100) returns 0", rump_sys_setgid(100) == 0);
	REQUIRE("setregid(-1, 200) returns 0", rump_sys_setregid((gid_t)-1, 200) == 0);
	REQUIRE("setreuid(-1, 1000) returns 0", rump_sys_setreuid((uid_t)-1, 1000) == 0);
	rv[0] = rv[1] = -7;
	CHECK_EQ("rump_syscall(SYS_getuid) returns 0",
	    rump_syscall(RUMP_SYS_getuid, NULL, 0, rv), 0);
	CHECK_TRUE("... retval {uid 0, euid 1000}", rv[0] == 0 && rv[1] == 1000);
	rv[0] = rv[1] = -7;
	CHECK_EQ("rump_syscall(SYS_getgid) returns 0",
	    rump_syscall(RUMP_SYS_getgid, NULL, 0, rv), 0);
	CHECK_TRUE("... retval {gid 100, egid 200}", rv[0] == 100 && rv[1] == 200);
	rv[0] = rv[1] = -7;
	rump_syscall(RUMP_SYS_getpid, NULL, 0, rv);
	CHECK_EQ("rump_syscall(SYS_getpid) in the child: retval[1] is the ppid 1",
	    rv[1], 1);
	CHECK_EQ("rump_sys_getuid() is 0", rump_sys_getuid(), 0);
	CHECK_EQ("rump_sys_geteuid() is 1000", rump_sys_geteuid(), 1000);
	CHECK_EQ("rump_sys_getgid() is 100", rump_sys_getgid(), 100);
	CHECK_EQ("rump_sys_getegid() is 200", rump_sys_getegid(), 200);
	rump_pub_lwproc_releaselwp();

	/* ---- errno conventions of the stubs ---- */
	errno = 1234;
	CHECK_TRUE("setuid(0) as root returns 0", rump_sys_setuid(0) == 0);
	saved = errno;
	CHECK_EQ("... and sets errno to 0 (was 1234)", saved, 0);
	errno = 1234;
	rump_sys_getpgid(99999);
	saved = errno;
	CHECK_EQ("a failing getpgid(99999) sets errno to ESRCH (3)", saved,
	    RUMP_ESRCH);
	errno = 1234;
	CHECK_TRUE("getpid() returns 1", rump_sys_getpid() == 1);
	saved = errno;
	CHECK_EQ("... and leaves errno alone (1234)", saved, 1234);
	errno = 1234;
	rump_sys_getppid();
	saved = errno;
	CHECK_EQ("getppid() leaves errno alone", saved, 1234);
	errno = 1234;
	rump_sys_getuid();
	saved = errno;
	CHECK_EQ("getuid() leaves errno alone", saved, 1234);
	errno = 1234;
	rump_sys_geteuid();
	saved = errno;
	CHECK_EQ("geteuid() leaves errno alone", saved, 1234);
	errno = 1234;
	rump_sys_getgid();
	saved = errno;
	CHECK_EQ("getgid() leaves errno alone", saved, 1234);
	errno = 1234;
	rump_sys_getegid();
	saved = errno;
	CHECK_EQ("getegid() leaves errno alone", saved, 1234);
	errno = 1234;
	rump_sys_issetugid();
	saved = errno;
	CHECK_EQ("issetugid() leaves errno alone", saved, 1234);
	errno = 1234;
	len = sizeof(buf);
	CHECK_TRUE("__sysctl(kern.ostype) returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len, NULL, 0) == 0);
	saved = errno;
	CHECK_EQ("... and sets errno to 0", saved, 0);
	errno = 1234;
	CHECK_TRUE("getrlimit(RLIMIT_CPU) returns 0",
	    rump_sys_getrlimit(RUMP_RLIMIT_CPU, (void *)args) == 0);
	saved = errno;
	CHECK_EQ("... and sets errno to 0", saved, 0);

	/* ---- bad pointers and missing factions: errors, never crashes ---- */
	CHECK_ERR("rump_sys_pipe(NULL) fails with EFAULT", rump_sys_pipe(NULL),
	    RUMP_EFAULT);
	CHECK_ERR("rump_sys_socket(PF_INET, SOCK_STREAM, 0) fails with ENOSYS",
	    rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0), RUMP_ENOSYS);
	CHECK_ERR("rump_sys_open(\"/x\", O_RDONLY) without VFS fails with ENOSYS",
	    rump_sys_open("/x", RUMP_O_RDONLY), RUMP_ENOSYS);
	CHECK_ERR("rump_sys_mkdir(\"/d\") without VFS fails with ENOSYS",
	    rump_sys_mkdir("/d", 0755), RUMP_ENOSYS);
	CHECK_ERR("rump_sys_mount(...) without VFS fails with ENOSYS",
	    rump_sys_mount(RUMP_MOUNT_TMPFS, "/d", 0, NULL, 0), RUMP_ENOSYS);
	CHECK_ERR("rump_sys__ksem_init() (module only) fails with ENOSYS",
	    rump_sys__ksem_init(1, (intptr_t *)args), RUMP_ENOSYS);
	CHECK_EQ("the kernel still answers after all that: getpid() is 1",
	    rump_sys_getpid(), 1);

	/* ---- several host threads in several processes at once ---- */
	{
		pthread_t th[NTHREADS];
		struct worker w[NTHREADS];
		int wrong = 0, ewrong = 0, rfork_ok = 1, distinct = 1, j;

		memset(w, 0, sizeof(w));
		pthread_barrier_init(&barrier, NULL, NTHREADS);
		for (i = 0; i < NTHREADS; i++)
			pthread_create(&th[i], NULL, worker_main, &w[i]);
		for (i = 0; i < NTHREADS; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < NTHREADS; i++) {
			wrong += w[i].wrong;
			ewrong += w[i].errno_wrong;
			if (w[i].rv != 0)
				rfork_ok = 0;
			for (j = 0; j < i; j++)
				if (w[j].pid == w[i].pid)
					distinct = 0;
		}
		pthread_barrier_destroy(&barrier);
		CHECK_TRUE("4 threads each rfork() a process (returns 0)", rfork_ok);
		CHECK_TRUE("... with 4 distinct pids", distinct);
		CHECK_EQ("4 x 20000 concurrent rump_syscall(SYS_getpid): each thread "
		    "always gets its own pid and ppid 1", wrong, 0);
		CHECK_EQ("... and errno stays per thread (ESRCH here, 0 there)",
		    ewrong, 0);
	}
	CHECK_EQ("the main thread is still pid 1", rump_sys_getpid(), 1);
	(void)fds;

	return h_end();
}
