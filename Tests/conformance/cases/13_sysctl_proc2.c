/* libs: -lrump -lrumpuser */
/*
 * 13_sysctl_proc2: kern.proc2 (CTL_KERN 47), the process list ps(1) reads.
 *
 * The MIB is { CTL_KERN, KERN_PROC2, op, arg, elemsize, elemcount }; any
 * other length is EINVAL, and so is an unknown op.  The answer is an array
 * of struct kinfo_proc2 (680 bytes on amd64), newest process first, as
 * NetBSD's sysctl_doeproc lists allproc: each record takes elemsize bytes
 * of the buffer and its first min(elemsize, 680) are written (the rest of
 * a larger slot is left as it was); at most elemcount records are written,
 * and only whole slots.  oldlen becomes the bytes the slots took, and a
 * matching process that got no record makes the call fail with ENOMEM.
 * Without a buffer oldlen is the slots' size plus a fixed slack.
 *
 * The scene: pid 1 (the default process, "rumplocal"), A (pid 2, rforked
 * from pid 1), B (pid 3, rforked from A; setsid, setlogin "proc2user",
 * groups {5, 6}, gid 100, uid 1000; two lwps, both switched away from) and
 * C (pid 4, rforked from pid 1 by a second host thread that keeps C's lwp
 * as its current one).  The checks run as A.  Record values as a rump
 * kernel leaves them: p_stat LSONPROC (7) for the caller's process and
 * pid 0, LSRUN (2) for a process with an lwp switched away from, LSSTOP
 * (4) for one whose only lwp a host thread holds outside the kernel;
 * p_realstat SACTIVE (2); p_flag has L_INMEM, P_SUGID after a set*id
 * call, and pid 0's also L_SYSTEM (p_realflag has not); p_tdev NODEV
 * (0xffffffff), p_tpgid -1, p_nice 20 (NZERO), p_ename "netbsd",
 * p_eflag EPROC_SLEADER for a session leader, p_login the session's login.
 */
#include "../harness.h"

#define KSIZE ((int)sizeof(struct rump_kinfo_proc2))

static int
proc2(int op, int arg, void *buf, size_t *len, int elemsize, int elemcount)
{
	int mib[6] = { RUMP_CTL_KERN, RUMP_KERN_PROC2, op, arg, elemsize,
	    elemcount };

	return rump_sys___sysctl(mib, 6, buf, len, NULL, 0);
}

/* Up to 16 full records of op/arg into recs; the count, or -1000-errno. */
static int
list(int op, int arg, struct rump_kinfo_proc2 *recs)
{
	size_t len = 16 * sizeof(*recs);

	memset(recs, 0xa5, len);
	if (proc2(op, arg, recs, &len, KSIZE, 16) != 0)
		return -1000 - errno;
	if (len % sizeof(*recs) != 0)
		return -2000 - (int)len;
	return (int)(len / sizeof(*recs));
}

/* the pids of recs[0..n) as "4 3 2 1 0" */
static const char *
pids(const struct rump_kinfo_proc2 *recs, int n)
{
	static char buf[256];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < sizeof(buf) - 16; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%d",
		    i ? " " : "", recs[i].p_pid);
	return buf;
}

static const struct rump_kinfo_proc2 *
find(const struct rump_kinfo_proc2 *recs, int n, int pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (recs[i].p_pid == pid)
			return &recs[i];
	return NULL;
}

/* ---- the second host thread: C, held outside the kernel ---- */

static pthread_mutex_t t_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t t_cv = PTHREAD_COND_INITIALIZER;
static int t_state;	/* 1: C exists, 2: main is done with it */
static int t_pid = -1;

static void *
holder(void *arg)
{
	(void)arg;
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0)
		t_pid = rump_sys_getpid();
	pthread_mutex_lock(&t_lock);
	t_state = 1;
	pthread_cond_broadcast(&t_cv);
	while (t_state != 2)
		pthread_cond_wait(&t_cv, &t_lock);
	pthread_mutex_unlock(&t_lock);
	if (t_pid > 0)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

/* the fields every live process has the same */
static void
check_common(const struct rump_kinfo_proc2 *k)
{
	int pid = k->p_pid;

	CHECK_EQ(H_WHAT("pid %d: p_realstat SACTIVE", pid), k->p_realstat,
	    RUMP_SACTIVE);
	CHECK_EQ(H_WHAT("pid %d: p_flag has L_INMEM", pid),
	    k->p_flag & RUMP_L_INMEM, RUMP_L_INMEM);
	CHECK_EQ(H_WHAT("pid %d: p_tdev NODEV", pid), k->p_tdev, 0xffffffffU);
	CHECK_EQ(H_WHAT("pid %d: p_tpgid -1", pid), k->p_tpgid, -1);
	CHECK_EQ(H_WHAT("pid %d: p_nice 20", pid), k->p_nice, 20);
	CHECK_STR(H_WHAT("pid %d: p_ename", pid), k->p_ename, "netbsd");
	CHECK_EQ(H_WHAT("pid %d: p_uvalid 1", pid), k->p_uvalid, 1);
	CHECK_EQ(H_WHAT("pid %d: p_exitsig 0", pid), k->p_exitsig, 0);
}

int
main(int argc, char **argv)
{
	static struct rump_kinfo_proc2 recs[16];
	const struct rump_kinfo_proc2 *k;
	static unsigned char raw[16 * 720];
	void *lwp_a, *lwp_b;
	gid_t groups[2] = { 5, 6 };
	pthread_t thread;
	size_t len, len680, len100;
	double boot, forked;
	int n, i, mib[8];

	(void)argc;
	(void)argv;
	h_begin("13_sysctl_proc2");
	boot = h_realtime();
	H_BOOT();

	/* ---- from the implicit context: pid 1 and pid 0 ---- */
	n = list(RUMP_KERN_PROC_ALL, 0, recs);
	CHECK_EQ("after boot: 2 processes", n, 2);
	CHECK_STR("after boot: pid 1, then pid 0", pids(recs, n > 0 ? n : 0),
	    "1 0");
	if ((k = find(recs, n, 1)) != NULL) {
		check_common(k);
		CHECK_EQ("pid 1: p_ppid 0", k->p_ppid, 0);
		CHECK_EQ("pid 1: p__pgid 0", k->p__pgid, 0);
		CHECK_EQ("pid 1: p_sid 0", k->p_sid, 0);
		CHECK_STR("pid 1: p_comm \"rumplocal\"", k->p_comm, "rumplocal");
		CHECK_EQ("pid 1 (the caller's): p_stat LSONPROC", k->p_stat,
		    RUMP_LSONPROC);
		CHECK_EQ("pid 1: p_nlwps 1 (the caller's implicit lwp)",
		    k->p_nlwps, 1);
		CHECK_EQ("pid 1: p_eflag 0 (session 0 has no leader)",
		    k->p_eflag, 0);
		CHECK_EQ("pid 1: p_uid 0", k->p_uid, 0);
		CHECK_EQ("pid 1: p_ngroups 0", k->p_ngroups, 0);
		CHECK_STR("pid 1: p_login empty", k->p_login, "");
		CHECK_EQ("pid 1: p_flag is L_INMEM", k->p_flag, RUMP_L_INMEM);
		CHECK_RANGE("pid 1: p_ustart_sec is the boot time",
		    k->p_ustart_sec, (long long)boot - 1, (long long)h_realtime() + 1);
		CHECK_RANGE("pid 1: p_ustart_usec < 1000000", k->p_ustart_usec, 0,
		    999999);
	} else {
		h_notok("pid 1 is listed", "not found");
	}
	if ((k = find(recs, n, 0)) != NULL) {
		check_common(k);
		CHECK_STR("pid 0: p_comm \"system\"", k->p_comm, "system");
		CHECK_EQ("pid 0: p_flag L_INMEM|L_SYSTEM", k->p_flag,
		    RUMP_L_INMEM | RUMP_L_SYSTEM);
		CHECK_EQ("pid 0: p_realflag L_INMEM", k->p_realflag, RUMP_L_INMEM);
		CHECK_EQ("pid 0: p_stat LSONPROC (lwp0)", k->p_stat, RUMP_LSONPROC);
		CHECK_GE("pid 0: p_nlwps >= 1 (lwp0)", k->p_nlwps, 1);
		CHECK_EQ("pid 0: p_ppid 0", k->p_ppid, 0);
	} else {
		h_notok("pid 0 is listed", "not found");
	}

	/* ---- the scene ---- */
	REQUIRE("rfork A", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lwp_a = rump_pub_lwproc_curlwp();
	CHECK_EQ("A is pid 2", rump_sys_getpid(), 2);
	REQUIRE("rfork B from A", rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	lwp_b = rump_pub_lwproc_curlwp();
	CHECK_EQ("B is pid 3", rump_sys_getpid(), 3);
	CHECK_EQ("B: setsid", rump_sys_setsid(), 3);
	CHECK_EQ("B: setlogin", rump_sys___setlogin("proc2user"), 0);
	CHECK_EQ("B: setgroups {5, 6}", rump_sys_setgroups(2, groups), 0);
	CHECK_EQ("B: setgid 100", rump_sys_setgid(100), 0);
	CHECK_EQ("B: setuid 1000", rump_sys_setuid(1000), 0);
	CHECK_EQ("B: a second lwp", rump_pub_lwproc_newlwp(3), 0);
	CHECK_VOID_ERRNO("back to A", rump_pub_lwproc_switch(lwp_a), 0);
	forked = h_realtime();
	(void)lwp_b;

	REQUIRE("start the thread that makes C",
	    pthread_create(&thread, NULL, holder, NULL) == 0);
	pthread_mutex_lock(&t_lock);
	while (t_state != 1)
		pthread_cond_wait(&t_cv, &t_lock);
	pthread_mutex_unlock(&t_lock);
	CHECK_EQ("C is pid 4", t_pid, 4);

	/* ---- KERN_PROC_ALL, as A ---- */
	n = list(RUMP_KERN_PROC_ALL, 0, recs);
	CHECK_EQ("5 processes", n, 5);
	CHECK_STR("newest first: 4 3 2 1 0", pids(recs, n > 0 ? n : 0),
	    "4 3 2 1 0");
	for (i = 0; i < n; i++)
		check_common(&recs[i]);

	if ((k = find(recs, n, 4)) != NULL) {
		CHECK_EQ("C: p_ppid 1", k->p_ppid, 1);
		CHECK_EQ("C: p__pgid 0", k->p__pgid, 0);
		CHECK_EQ("C: p_sid 0", k->p_sid, 0);
		CHECK_STR("C: p_comm inherited", k->p_comm, "rumplocal");
		CHECK_EQ("C (held outside the kernel): p_stat LSSTOP", k->p_stat,
		    RUMP_LSSTOP);
		CHECK_EQ("C: p_nlwps 1", k->p_nlwps, 1);
	} else {
		h_notok("C is listed", "not found");
	}
	if ((k = find(recs, n, 3)) != NULL) {
		CHECK_EQ("B: p_ppid 2", k->p_ppid, 2);
		CHECK_EQ("B: p__pgid 3", k->p__pgid, 3);
		CHECK_EQ("B: p_sid 3", k->p_sid, 3);
		CHECK_EQ("B: p_eflag EPROC_SLEADER", k->p_eflag,
		    RUMP_EPROC_SLEADER);
		CHECK_STR("B: p_login", k->p_login, "proc2user");
		CHECK_EQ("B: p_uid 1000", k->p_uid, 1000);
		CHECK_EQ("B: p_ruid 1000", k->p_ruid, 1000);
		CHECK_EQ("B: p_svuid 1000", k->p_svuid, 1000);
		CHECK_EQ("B: p_gid 100", k->p_gid, 100);
		CHECK_EQ("B: p_rgid 100", k->p_rgid, 100);
		CHECK_EQ("B: p_svgid 100", k->p_svgid, 100);
		CHECK_EQ("B: p_ngroups 2", k->p_ngroups, 2);
		CHECK_EQ("B: p_groups[0] 5", k->p_groups[0], 5);
		CHECK_EQ("B: p_groups[1] 6", k->p_groups[1], 6);
		CHECK_EQ("B: p_groups[2] 0", k->p_groups[2], 0);
		CHECK_EQ("B: p_flag L_INMEM|P_SUGID", k->p_flag,
		    RUMP_L_INMEM | RUMP_P_SUGID);
		CHECK_EQ("B: p_realflag L_INMEM|P_SUGID", k->p_realflag,
		    RUMP_L_INMEM | RUMP_P_SUGID);
		CHECK_EQ("B (lwps switched away from): p_stat LSRUN", k->p_stat,
		    RUMP_LSRUN);
		CHECK_EQ("B: p_nlwps 2", k->p_nlwps, 2);
		CHECK_RANGE("B: p_ustart_sec is when it was forked",
		    k->p_ustart_sec, (long long)boot - 1, (long long)forked + 1);
	} else {
		h_notok("B is listed", "not found");
	}
	if ((k = find(recs, n, 2)) != NULL) {
		CHECK_EQ("A: p_ppid 1", k->p_ppid, 1);
		CHECK_EQ("A: p_sid 0", k->p_sid, 0);
		CHECK_EQ("A: p_uid 0", k->p_uid, 0);
		CHECK_EQ("A: p_eflag 0", k->p_eflag, 0);
		CHECK_STR("A: p_login empty", k->p_login, "");
		CHECK_EQ("A: p_flag L_INMEM", k->p_flag, RUMP_L_INMEM);
		CHECK_EQ("A (the caller's): p_stat LSONPROC", k->p_stat,
		    RUMP_LSONPROC);
		CHECK_EQ("A: p_nlwps 1", k->p_nlwps, 1);
	} else {
		h_notok("A is listed", "not found");
	}
	if ((k = find(recs, n, 1)) != NULL) {
		CHECK_EQ("pid 1 (no lwp of its own now): p_stat 2", k->p_stat, 2);
		CHECK_EQ("pid 1: p_nlwps 0", k->p_nlwps, 0);
	} else {
		h_notok("pid 1 is listed", "not found");
	}
	if (n >= 2 && recs[0].p_pid == 4 && recs[1].p_pid == 3)
		CHECK_TRUE("C started no earlier than B",
		    recs[0].p_ustart_sec > recs[1].p_ustart_sec ||
		    (recs[0].p_ustart_sec == recs[1].p_ustart_sec &&
		    recs[0].p_ustart_usec >= recs[1].p_ustart_usec));

	/* ---- the other ops ---- */
	n = list(RUMP_KERN_PROC_PID, 3, recs);
	CHECK_EQ("KERN_PROC_PID 3: 1 record", n, 1);
	CHECK_EQ("KERN_PROC_PID 3: B", n == 1 ? recs[0].p_pid : -1, 3);
	len = sizeof(recs);
	CHECK_EQ("KERN_PROC_PID 12345 (none): returns 0",
	    proc2(RUMP_KERN_PROC_PID, 12345, recs, &len, KSIZE, 16), 0);
	CHECK_EQ("KERN_PROC_PID 12345: oldlen 0", len, 0);
	n = list(RUMP_KERN_PROC_PGRP, 0, recs);
	CHECK_STR("KERN_PROC_PGRP 0: 4 2 1 0", pids(recs, n > 0 ? n : 0),
	    "4 2 1 0");
	n = list(RUMP_KERN_PROC_PGRP, 3, recs);
	CHECK_STR("KERN_PROC_PGRP 3: 3", pids(recs, n > 0 ? n : 0), "3");
	n = list(RUMP_KERN_PROC_SESSION, 3, recs);
	CHECK_STR("KERN_PROC_SESSION 3: 3", pids(recs, n > 0 ? n : 0), "3");
	n = list(RUMP_KERN_PROC_SESSION, 0, recs);
	CHECK_STR("KERN_PROC_SESSION 0: 4 2 1 0", pids(recs, n > 0 ? n : 0),
	    "4 2 1 0");
	n = list(RUMP_KERN_PROC_UID, 1000, recs);
	CHECK_STR("KERN_PROC_UID 1000: 3", pids(recs, n > 0 ? n : 0), "3");
	n = list(RUMP_KERN_PROC_UID, 0, recs);
	CHECK_STR("KERN_PROC_UID 0: 4 2 1 0", pids(recs, n > 0 ? n : 0),
	    "4 2 1 0");
	n = list(RUMP_KERN_PROC_RUID, 1000, recs);
	CHECK_STR("KERN_PROC_RUID 1000: 3", pids(recs, n > 0 ? n : 0), "3");
	n = list(RUMP_KERN_PROC_GID, 100, recs);
	CHECK_STR("KERN_PROC_GID 100: 3", pids(recs, n > 0 ? n : 0), "3");
	n = list(RUMP_KERN_PROC_RGID, 0, recs);
	CHECK_STR("KERN_PROC_RGID 0: 4 2 1 0", pids(recs, n > 0 ? n : 0),
	    "4 2 1 0");
	n = list(RUMP_KERN_PROC_UID, -2, recs);
	CHECK_EQ("KERN_PROC_UID 4294967294 (a negative MIB number): 0 records",
	    n, 0);
	n = list(RUMP_KERN_PROC_TTY, RUMP_KERN_PROC_TTY_NODEV, recs);
	CHECK_STR("KERN_PROC_TTY NODEV: every process",
	    pids(recs, n > 0 ? n : 0), "4 3 2 1 0");
	n = list(RUMP_KERN_PROC_TTY, RUMP_KERN_PROC_TTY_REVOKE, recs);
	CHECK_EQ("KERN_PROC_TTY REVOKE: 0 records", n, 0);
	len = sizeof(recs);
	CHECK_ERR("an unknown op (9): EINVAL",
	    proc2(9, 0, recs, &len, KSIZE, 16), RUMP_EINVAL);

	/* ---- record size and count ---- */
	memset(raw, 0xa5, sizeof(raw));
	len = sizeof(raw);
	CHECK_EQ("elemsize 200: returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, 200, 16), 0);
	CHECK_EQ("elemsize 200: oldlen 5 * 200", len, 1000);
	for (i = 0; i < 5; i++) {
		int32_t pid;

		memcpy(&pid, raw + i * 200 + 116, sizeof(pid));
		CHECK_EQ(H_WHAT("elemsize 200: slot %d has p_pid at 116", i), pid,
		    4 - i);
	}
	CHECK_EQ("elemsize 200: nothing past the last slot", raw[1000], 0xa5);

	memset(raw, 0xa5, sizeof(raw));
	len = sizeof(raw);
	CHECK_EQ("elemsize 720: returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, 720, 16), 0);
	CHECK_EQ("elemsize 720: oldlen 5 * 720", len, 3600);
	{
		struct rump_kinfo_proc2 second;
		unsigned char tail[40];

		memcpy(&second, raw + 720, sizeof(second));
		CHECK_EQ("elemsize 720: the second slot is B", second.p_pid, 3);
		CHECK_STR("elemsize 720: B's login", second.p_login, "proc2user");
		memset(tail, 0xa5, sizeof(tail));
		CHECK_MEM("elemsize 720: bytes 680..719 of a slot are left alone",
		    raw + 720 + 680, tail, sizeof(tail));
	}

	len = 0;
	CHECK_EQ("elemsize 0: returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, 0, 16), 0);
	CHECK_EQ("elemsize 0: oldlen 0", len, 0);

	memset(raw, 0xa5, sizeof(raw));
	len = sizeof(raw);
	CHECK_ERR("elemcount 2 of 5: ENOMEM",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, KSIZE, 2), RUMP_ENOMEM);
	CHECK_EQ("elemcount 2: oldlen 2 records", len, 2 * KSIZE);
	CHECK_EQ("elemcount 2: nothing after them", raw[2 * KSIZE], 0xa5);
	memcpy(&recs[0], raw + KSIZE, sizeof(recs[0]));
	CHECK_EQ("elemcount 2: the second is B", recs[0].p_pid, 3);

	/* ---- size probe and short buffers ---- */
	len680 = 12345;
	CHECK_EQ("size probe (oldp NULL): returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, NULL, &len680, KSIZE, 16), 0);
	CHECK_GE("size probe: room for the 5 records", len680, 5 * KSIZE);
	len100 = 0;
	CHECK_EQ("size probe, elemsize 100: returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, NULL, &len100, 100, 16), 0);
	CHECK_EQ("size probe: records * elemsize plus a fixed slack",
	    len680 - len100, 5 * (KSIZE - 100));
	len = 1;
	CHECK_EQ("size probe, elemcount 0: returns 0",
	    proc2(RUMP_KERN_PROC_ALL, 0, NULL, &len, KSIZE, 0), 0);
	CHECK_EQ("size probe, elemcount 0: the same size", len, len680);
	len = 0;
	CHECK_EQ("size probe, KERN_PROC_PID 3: returns 0",
	    proc2(RUMP_KERN_PROC_PID, 3, NULL, &len, KSIZE, 16), 0);
	CHECK_EQ("size probe, KERN_PROC_PID 3: one record plus the slack", len,
	    len680 - 4 * KSIZE);

	memset(raw, 0xa5, sizeof(raw));
	len = 2 * KSIZE + 100;
	CHECK_ERR("a buffer for 2.1 records: ENOMEM",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, KSIZE, 16), RUMP_ENOMEM);
	CHECK_EQ("short buffer: oldlen is the 2 records copied", len, 2 * KSIZE);
	CHECK_EQ("short buffer: the first is C", ((struct rump_kinfo_proc2 *)
	    (void *)raw)->p_pid, 4);
	CHECK_EQ("short buffer: the rest is untouched", raw[2 * KSIZE], 0xa5);
	len = 0;
	CHECK_ERR("a buffer of 0 bytes: ENOMEM",
	    proc2(RUMP_KERN_PROC_ALL, 0, raw, &len, KSIZE, 16), RUMP_ENOMEM);
	CHECK_EQ("0 bytes: oldlen 0", len, 0);
	len = sizeof(raw);
	CHECK_ERR("a bad buffer: EFAULT",
	    proc2(RUMP_KERN_PROC_ALL, 0, (void *)8, &len, KSIZE, 16),
	    RUMP_EFAULT);

	/* ---- bad names ---- */
	mib[0] = RUMP_CTL_KERN;
	mib[1] = RUMP_KERN_PROC2;
	mib[2] = RUMP_KERN_PROC_ALL;
	mib[3] = 0;
	mib[4] = KSIZE;
	mib[5] = 16;
	mib[6] = 0;
	len = sizeof(recs);
	CHECK_ERR("kern.proc2 alone: EINVAL",
	    rump_sys___sysctl(mib, 2, recs, &len, NULL, 0), RUMP_EINVAL);
	len = sizeof(recs);
	CHECK_ERR("5 components: EINVAL",
	    rump_sys___sysctl(mib, 5, recs, &len, NULL, 0), RUMP_EINVAL);
	len = sizeof(recs);
	CHECK_ERR("7 components: EINVAL",
	    rump_sys___sysctl(mib, 7, recs, &len, NULL, 0), RUMP_EINVAL);
	len = sizeof(recs);
	CHECK_ERR("5 components, size probe: EINVAL",
	    rump_sys___sysctl(mib, 5, NULL, &len, NULL, 0), RUMP_EINVAL);

	/* ---- a process that ends leaves the list ---- */
	pthread_mutex_lock(&t_lock);
	t_state = 2;
	pthread_cond_broadcast(&t_cv);
	pthread_mutex_unlock(&t_lock);
	pthread_join(thread, NULL);
	n = list(RUMP_KERN_PROC_PID, 4, recs);
	CHECK_EQ("after C's last lwp is released: KERN_PROC_PID 4 is empty",
	    n, 0);
	n = list(RUMP_KERN_PROC_ALL, 0, recs);
	CHECK_STR("and the list is 3 2 1 0", pids(recs, n > 0 ? n : 0),
	    "3 2 1 0");

	return h_end();
}
