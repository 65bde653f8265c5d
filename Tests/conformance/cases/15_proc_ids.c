/* libs: -lrump -lrumpuser */
/*
 * 15_proc_ids: process groups, sessions and resource limits.
 *
 * pid 1 and its rforked children are in process group 0 and session 0
 * (proc0's).  setsid makes the caller leader of a new session and group
 * (EPERM for a group leader); setpgid follows NetBSD's proc_enterpgrp: the
 * target is the caller or a descendant (ESRCH otherwise) in the caller's
 * session, the group is a new one named by the target's pid or an existing
 * one of that session (EPERM otherwise), a negative pgid is EINVAL.
 * getrlimit/setrlimit: 12 resources (RLIM_NLIMITS), the soft limit may
 * not exceed the hard one (EINVAL), only root raises a hard limit (EPERM),
 * limits are inherited by rfork and private to each process afterwards.
 */
#include "../harness.h"

static int
get_limit(int which, struct rump_rlimit *rl)
{
	memset(rl, 0xa5, sizeof(*rl));
	return rump_sys_getrlimit(which, (void *)rl);
}

static int
set_limit(int which, uint64_t cur, uint64_t max)
{
	struct rump_rlimit rl = { cur, max };

	return rump_sys_setrlimit(which, (void *)&rl);
}

/* cur*1000000+max for small limits, or -1000-errno */
static long long
limit_pair(int which)
{
	struct rump_rlimit rl;

	if (get_limit(which, &rl) != 0)
		return -1000 - errno;
	return (long long)rl.rlim_cur * 1000000 + (long long)rl.rlim_max;
}

/* the limit `which` is {cur, max} */
static void
check_limit(const char *what, int which, uint64_t cur, uint64_t max)
{
	struct rump_rlimit rl;
	int rv = get_limit(which, &rl);

	if (rv == 0 && rl.rlim_cur == cur && rl.rlim_max == max)
		h_ok(what);
	else
		h_notok(what, "got %d {%llu, %llu} (errno %d) want {%llu, %llu}", rv,
		    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
		    rv ? errno : 0, (unsigned long long)cur, (unsigned long long)max);
}

int
main(int argc, char **argv)
{
	struct rump_rlimit rl;
	struct lwp *leader, *child;
	pid_t lpid, cpid, opid;
	int i;

	(void)argc;
	(void)argv;
	h_begin("15_proc_ids");
	H_BOOT();

	/* ---- at boot ---- */
	CHECK_EQ("getpgrp() of pid 1 is 0", rump_sys_getpgrp(), 0);
	CHECK_EQ("getpgid(0) of pid 1 is 0", rump_sys_getpgid(0), 0);
	CHECK_EQ("getpgid(1) is 0", rump_sys_getpgid(1), 0);
	CHECK_EQ("getsid(0) of pid 1 is 0", rump_sys_getsid(0), 0);
	CHECK_EQ("getsid(1) is 0", rump_sys_getsid(1), 0);
	CHECK_ERR("getpgid(99999) fails with ESRCH", rump_sys_getpgid(99999),
	    RUMP_ESRCH);
	CHECK_ERR("getsid(99999) fails with ESRCH", rump_sys_getsid(99999),
	    RUMP_ESRCH);

	/* ---- setsid ---- */
	REQUIRE("rfork() of the session leader returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	leader = rump_pub_lwproc_curlwp();
	lpid = rump_sys_getpid();
	CHECK_EQ("a child of pid 1 is in group 0", rump_sys_getpgrp(), 0);
	CHECK_EQ("... and session 0", rump_sys_getsid(0), 0);
	CHECK_EQ("setsid() returns the caller's pid", rump_sys_setsid(), lpid);
	CHECK_EQ("... getsid(0) is its pid", rump_sys_getsid(0), lpid);
	CHECK_EQ("... getpgrp() is its pid", rump_sys_getpgrp(), lpid);
	CHECK_EQ("... getpgid(0) is its pid", rump_sys_getpgid(0), lpid);
	CHECK_ERR("setsid() again fails with EPERM", rump_sys_setsid(), RUMP_EPERM);
	CHECK_EQ("... the session is unchanged", rump_sys_getsid(0), lpid);
	CHECK_EQ("pid 1 is still in session 0: getsid(1)", rump_sys_getsid(1), 0);
	CHECK_EQ("the leader seen from pid 1's view: getsid(leader)",
	    rump_sys_getsid(lpid), lpid);

	/* ---- setpgid ---- */
	REQUIRE("rfork() of the leader's child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	child = rump_pub_lwproc_curlwp();
	cpid = rump_sys_getpid();
	CHECK_EQ("the child is in its parent's group", rump_sys_getpgrp(), lpid);
	CHECK_EQ("... and session", rump_sys_getsid(0), lpid);
	CHECK_EQ("setpgid(0, 0) makes a new group named by the child's pid",
	    rump_sys_setpgid(0, 0), 0);
	CHECK_EQ("... getpgrp() is its pid", rump_sys_getpgrp(), cpid);
	CHECK_EQ("... still in the leader's session", rump_sys_getsid(0), lpid);
	CHECK_ERR("setsid() by a group leader fails with EPERM", rump_sys_setsid(),
	    RUMP_EPERM);
	CHECK_ERR("setpgid(0, 12345) (no such group) fails with EPERM",
	    rump_sys_setpgid(0, 12345), RUMP_EPERM);
	CHECK_ERR("setpgid(0, -1) fails with EINVAL", rump_sys_setpgid(0, -1),
	    RUMP_EINVAL);
	CHECK_ERR("setpgid(1, 0) (not a descendant) fails with ESRCH",
	    rump_sys_setpgid(1, 0), RUMP_ESRCH);
	CHECK_ERR("setpgid(99999, 0) fails with ESRCH", rump_sys_setpgid(99999, 0),
	    RUMP_ESRCH);
	CHECK_EQ("setpgid(0, leader's group) joins the existing group",
	    rump_sys_setpgid(0, lpid), 0);
	CHECK_EQ("... getpgrp() is the leader's pid", rump_sys_getpgrp(), lpid);
	CHECK_EQ("setpgid(own pid, own pid) makes its group again",
	    rump_sys_setpgid(cpid, cpid), 0);
	CHECK_EQ("... getpgrp() is its pid", rump_sys_getpgrp(), cpid);

	rump_pub_lwproc_switch(leader);
	CHECK_EQ("the leader moves its child back: setpgid(child, leader)",
	    rump_sys_setpgid(cpid, lpid), 0);
	CHECK_EQ("... getpgid(child) is the leader's pid", rump_sys_getpgid(cpid),
	    lpid);
	CHECK_EQ("the leader moves its child into a new group: setpgid(child, 0)",
	    rump_sys_setpgid(cpid, 0), 0);
	CHECK_EQ("... getpgid(child) is the child's pid", rump_sys_getpgid(cpid),
	    cpid);
	CHECK_ERR("a session leader cannot change its group: setpgid(0, child)",
	    rump_sys_setpgid(0, cpid), RUMP_EPERM);
	CHECK_EQ("... but setpgid(0, 0) on its own group is a no-op returning 0",
	    rump_sys_setpgid(0, 0), 0);

	/* a process of another session: not ours to move */
	rump_pub_lwproc_switch(NULL);
	REQUIRE("rfork() of an unrelated process returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	opid = rump_sys_getpid();
	CHECK_ERR("setpgid(leader's child, 0) from an unrelated process: ESRCH",
	    rump_sys_setpgid(cpid, 0), RUMP_ESRCH);
	CHECK_EQ("getpgid(leader's child) from an unrelated process works",
	    rump_sys_getpgid(cpid), cpid);
	CHECK_EQ("getsid(leader's child) from an unrelated process works",
	    rump_sys_getsid(cpid), lpid);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(child);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(leader);
	rump_pub_lwproc_releaselwp();
	CHECK_ERR("after its last lwp went, getsid(leader) fails with ESRCH",
	    rump_sys_getsid(lpid), RUMP_ESRCH);
	CHECK_ERR("... and getpgid(child) with ESRCH", rump_sys_getpgid(cpid),
	    RUMP_ESRCH);
	(void)opid;

	/* ---- getrlimit ---- */
	for (i = 0; i < RUMP_RLIM_NLIMITS; i++) {
		int rv = get_limit(i, &rl);
		CHECK_EQ(H_WHAT("getrlimit(%d) returns 0", i), rv, 0);
		if (rl.rlim_cur <= rl.rlim_max && rl.rlim_max <= RUMP_RLIM_INFINITY)
			h_ok(H_WHAT("getrlimit(%d): soft <= hard <= RLIM_INFINITY", i));
		else
			h_notok(H_WHAT("getrlimit(%d): soft <= hard <= RLIM_INFINITY", i),
			    "got {%llu, %llu}", (unsigned long long)rl.rlim_cur,
			    (unsigned long long)rl.rlim_max);
	}
	check_limit("RLIMIT_CPU is {RLIM_INFINITY, RLIM_INFINITY}", RUMP_RLIMIT_CPU,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);
	check_limit("RLIMIT_FSIZE is {RLIM_INFINITY, RLIM_INFINITY}", RUMP_RLIMIT_FSIZE,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);
	/* the rump kernel's uvm_init_limits (vm.c) lifts these three */
	check_limit("RLIMIT_DATA is {RLIM_INFINITY, RLIM_INFINITY} (rump vm.c)", RUMP_RLIMIT_DATA,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);
	check_limit("RLIMIT_RSS is {RLIM_INFINITY, RLIM_INFINITY} (rump vm.c)", RUMP_RLIMIT_RSS,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);
	check_limit("RLIMIT_AS is {RLIM_INFINITY, RLIM_INFINITY} (rump vm.c)", RUMP_RLIMIT_AS,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);
	get_limit(RUMP_RLIMIT_NOFILE, &rl);
	CHECK_TRUE("RLIMIT_NOFILE is finite and non-zero",
	    rl.rlim_cur > 0 && rl.rlim_max < RUMP_RLIM_INFINITY);
	CHECK_ERR("getrlimit(12) (RLIM_NLIMITS) fails with EINVAL",
	    rump_sys_getrlimit(RUMP_RLIM_NLIMITS, (void *)&rl), RUMP_EINVAL);
	CHECK_ERR("getrlimit(-1) fails with EINVAL",
	    rump_sys_getrlimit(-1, (void *)&rl), RUMP_EINVAL);
	CHECK_ERR("getrlimit(RLIMIT_CPU, NULL) fails with EFAULT",
	    rump_sys_getrlimit(RUMP_RLIMIT_CPU, NULL), RUMP_EFAULT);

	/* ---- setrlimit ---- */
	REQUIRE("rfork() for the limits child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	leader = rump_pub_lwproc_curlwp();
	CHECK_EQ("setrlimit(RLIMIT_CPU, {100, 200}) returns 0",
	    set_limit(RUMP_RLIMIT_CPU, 100, 200), 0);
	CHECK_EQ("... getrlimit reads {100, 200}", limit_pair(RUMP_RLIMIT_CPU),
	    100LL * 1000000 + 200);
	CHECK_EQ("lowering to {50, 150} returns 0",
	    set_limit(RUMP_RLIMIT_CPU, 50, 150), 0);
	CHECK_EQ("raising the hard limit to 300 as root returns 0",
	    set_limit(RUMP_RLIMIT_CPU, 50, 300), 0);
	CHECK_EQ("... getrlimit reads {50, 300}", limit_pair(RUMP_RLIMIT_CPU),
	    50LL * 1000000 + 300);
	CHECK_ERR("soft limit above the hard one fails with EINVAL",
	    set_limit(RUMP_RLIMIT_CPU, 400, 300), RUMP_EINVAL);
	CHECK_EQ("... nothing changed", limit_pair(RUMP_RLIMIT_CPU),
	    50LL * 1000000 + 300);
	CHECK_ERR("setrlimit(12, ...) fails with EINVAL",
	    set_limit(RUMP_RLIM_NLIMITS, 1, 1), RUMP_EINVAL);
	CHECK_ERR("setrlimit(RLIMIT_CPU, NULL) fails with EFAULT",
	    rump_sys_setrlimit(RUMP_RLIMIT_CPU, NULL), RUMP_EFAULT);
	CHECK_EQ("setrlimit(RLIMIT_NOFILE, {64, 100}) returns 0",
	    set_limit(RUMP_RLIMIT_NOFILE, 64, 100), 0);
	CHECK_EQ("... reads back {64, 100}", limit_pair(RUMP_RLIMIT_NOFILE),
	    64LL * 1000000 + 100);

	/* inherited by rfork, private afterwards */
	REQUIRE("rfork() from the limits child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	child = rump_pub_lwproc_curlwp();
	CHECK_EQ("the rforked child inherits RLIMIT_CPU {50, 300}",
	    limit_pair(RUMP_RLIMIT_CPU), 50LL * 1000000 + 300);
	CHECK_EQ("... and RLIMIT_NOFILE {64, 100}", limit_pair(RUMP_RLIMIT_NOFILE),
	    64LL * 1000000 + 100);
	CHECK_EQ("the child lowers RLIMIT_CPU to {40, 300}",
	    set_limit(RUMP_RLIMIT_CPU, 40, 300), 0);
	rump_pub_lwproc_switch(leader);
	CHECK_EQ("... its parent keeps {50, 300}", limit_pair(RUMP_RLIMIT_CPU),
	    50LL * 1000000 + 300);
	rump_pub_lwproc_switch(NULL);
	check_limit("... and pid 1 keeps RLIMIT_CPU infinite", RUMP_RLIMIT_CPU,
	    RUMP_RLIM_INFINITY, RUMP_RLIM_INFINITY);

	/* non-root */
	rump_pub_lwproc_switch(child);
	REQUIRE("setuid(1000) in the grandchild returns 0", rump_sys_setuid(1000) == 0);
	CHECK_EQ("non-root lowers RLIMIT_CPU to {30, 250}",
	    set_limit(RUMP_RLIMIT_CPU, 30, 250), 0);
	CHECK_EQ("non-root raises the soft limit to {250, 250}",
	    set_limit(RUMP_RLIMIT_CPU, 250, 250), 0);
	CHECK_ERR("non-root raising the hard limit to 300 fails with EPERM",
	    set_limit(RUMP_RLIMIT_CPU, 250, 300), RUMP_EPERM);
	CHECK_EQ("... the limit stays {250, 250}", limit_pair(RUMP_RLIMIT_CPU),
	    250LL * 1000000 + 250);
	CHECK_ERR("non-root raising RLIMIT_NOFILE's hard limit fails with EPERM",
	    set_limit(RUMP_RLIMIT_NOFILE, 64, 101), RUMP_EPERM);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(leader);
	rump_pub_lwproc_releaselwp();

	return h_end();
}
