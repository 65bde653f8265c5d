/* libs: -lrump -lrumpuser */
/*
 * 12_cred: credentials, with NetBSD's kern_prot.c rules.
 *
 * The kernel's processes start as root with no supplementary groups (proc0's
 * credential comes from kauth_cred_alloc()).  Root may set any id; others
 * only ids they hold: setuid/setgid to the real id, seteuid/setegid to the
 * real or saved id; setreuid sets the saved uid to the new effective uid
 * when the real uid changes.  A change that changes something marks the
 * process set-id (issetugid); a no-op does not.  setgroups is root only and
 * takes at most NGROUPS_MAX (16) groups; getgroups(0, NULL) counts them.
 * The login name belongs to the session (__setlogin is root only, at most
 * 16 bytes, empty at boot; __getlogin copies at most namelen bytes).
 */
#include "../harness.h"

/* the kernel-side names of the credential calls (not in the headers) */
struct kauth_cred *rump_cred_create(uid_t, gid_t, size_t, gid_t *);
void rump_cred_put(struct kauth_cred *);

static int
sub_main(const char *mode)
{
	if (strcmp(mode, "badput") == 0) {
		long junk[16];

		if (rump_init() != 0)
			return 3;
		memset(junk, 0, sizeof(junk));
		rump_pub_cred_put((struct kauth_cred *)junk);
		rump_pub_cred_put((struct kauth_cred *)(uintptr_t)0x1000);
		h_report("alive", rump_sys_getpid(), 0);
		return 0;
	}
	if (strcmp(mode, "doubleput") == 0) {
		struct kauth_cred *c;

		if (rump_init() != 0)
			return 3;
		c = rump_pub_cred_create(5, 5, 0, NULL);
		rump_pub_cred_put(c);
		rump_pub_cred_put(c);
		h_report("alive", rump_sys_getpid(), 0);
		return 0;
	}
	return 2;
}

static int
ids_are(uid_t u, uid_t eu, gid_t g, gid_t eg)
{
	return rump_sys_getuid() == u && rump_sys_geteuid() == eu &&
	    rump_sys_getgid() == g && rump_sys_getegid() == eg;
}

int
main(int argc, char **argv)
{
	static struct h_sub r;
	gid_t groups[32], want3[3] = { 100, 200, 300 };
	char login[64];
	struct lwp *sess_child, *dropped;
	int i;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("12_cred");
	H_BOOT();

	/* ---- at boot ---- */
	CHECK_EQ("getuid() at boot is 0", rump_sys_getuid(), 0);
	CHECK_EQ("geteuid() at boot is 0", rump_sys_geteuid(), 0);
	CHECK_EQ("getgid() at boot is 0", rump_sys_getgid(), 0);
	CHECK_EQ("getegid() at boot is 0", rump_sys_getegid(), 0);
	CHECK_EQ("issetugid() of pid 1 is 0", rump_sys_issetugid(), 0);
	CHECK_EQ("getgroups(0, NULL) at boot is 0 (no supplementary groups)",
	    rump_sys_getgroups(0, NULL), 0);
	memset(login, 0x55, sizeof(login));
	CHECK_EQ("__getlogin() at boot returns 0",
	    rump_sys___getlogin(login, sizeof(login)), 0);
	CHECK_STR("__getlogin() at boot is empty (session 0 has no login)", login, "");

	/* a child in session 0, for the login check below */
	CHECK_EQ("rfork() of a session-0 child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	sess_child = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_switch(NULL);

	/* ---- a child drops root ---- */
	REQUIRE("rfork(RUMP_RFCFDG) for the identity child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	dropped = rump_pub_lwproc_curlwp();
	CHECK_TRUE("the child inherits root's ids", ids_are(0, 0, 0, 0));
	CHECK_EQ("a fresh child's issetugid() is 0", rump_sys_issetugid(), 0);
	CHECK_EQ("setuid(0) as root (no change) returns 0", rump_sys_setuid(0), 0);
	CHECK_EQ("... a no-op leaves issetugid() at 0", rump_sys_issetugid(), 0);

	CHECK_EQ("setgroups(3, {100,200,300}) as root returns 0",
	    rump_sys_setgroups(3, want3), 0);
	CHECK_EQ("issetugid() after setgroups is 1", rump_sys_issetugid(), 1);
	CHECK_EQ("getgroups(0, NULL) returns the count 3",
	    rump_sys_getgroups(0, NULL), 3);
	memset(groups, 0xee, sizeof(groups));
	CHECK_EQ("getgroups(16, buf) returns 3", rump_sys_getgroups(16, groups), 3);
	CHECK_MEM("... and the groups 100, 200, 300", groups, want3, sizeof(want3));
	CHECK_EQ("getgroups(3, buf) (exact size) returns 3",
	    rump_sys_getgroups(3, groups), 3);
	CHECK_ERR("getgroups(2, buf) (too small) fails with EINVAL",
	    rump_sys_getgroups(2, groups), RUMP_EINVAL);
	CHECK_ERR("getgroups(16, NULL) fails with EFAULT",
	    rump_sys_getgroups(16, NULL), RUMP_EFAULT);
	for (i = 0; i < 17; i++)
		groups[i] = 1000 + i;
	CHECK_ERR("setgroups(17 groups) fails with EINVAL",
	    rump_sys_setgroups(17, groups), RUMP_EINVAL);
	CHECK_ERR("setgroups(-1, buf) fails with EINVAL",
	    rump_sys_setgroups(-1, groups), RUMP_EINVAL);
	CHECK_ERR("setgroups(2, NULL) fails with EFAULT",
	    rump_sys_setgroups(2, NULL), RUMP_EFAULT);
	CHECK_EQ("setgroups(16 groups) (NGROUPS_MAX) returns 0",
	    rump_sys_setgroups(16, groups), 0);
	CHECK_EQ("... getgroups(0, NULL) is 16", rump_sys_getgroups(0, NULL), 16);
	CHECK_EQ("setgroups(3, ...) again returns 0", rump_sys_setgroups(3, want3), 0);

	CHECK_EQ("setgid(100) as root returns 0", rump_sys_setgid(100), 0);
	CHECK_EQ("... getgid() is 100", rump_sys_getgid(), 100);
	CHECK_EQ("... getegid() is 100", rump_sys_getegid(), 100);
	CHECK_EQ("setuid(1000) as root returns 0", rump_sys_setuid(1000), 0);
	CHECK_EQ("... getuid() is 1000", rump_sys_getuid(), 1000);
	CHECK_EQ("... geteuid() is 1000", rump_sys_geteuid(), 1000);
	CHECK_EQ("... getgid() stays 100", rump_sys_getgid(), 100);
	CHECK_EQ("issetugid() is 1", rump_sys_issetugid(), 1);

	CHECK_ERR("setuid(0) after dropping root fails with EPERM",
	    rump_sys_setuid(0), RUMP_EPERM);
	CHECK_ERR("seteuid(0) (saved uid is 1000 too) fails with EPERM",
	    rump_sys_seteuid(0), RUMP_EPERM);
	CHECK_ERR("setreuid(0, 0) fails with EPERM", rump_sys_setreuid(0, 0),
	    RUMP_EPERM);
	CHECK_ERR("setreuid(-1, 0) fails with EPERM",
	    rump_sys_setreuid((uid_t)-1, 0), RUMP_EPERM);
	CHECK_ERR("setgid(0) fails with EPERM", rump_sys_setgid(0), RUMP_EPERM);
	CHECK_ERR("setegid(0) fails with EPERM", rump_sys_setegid(0), RUMP_EPERM);
	CHECK_ERR("setregid(0, 0) fails with EPERM", rump_sys_setregid(0, 0),
	    RUMP_EPERM);
	CHECK_TRUE("the failed calls changed nothing", ids_are(1000, 1000, 100, 100));
	CHECK_EQ("setuid(1000) (own real uid) returns 0", rump_sys_setuid(1000), 0);
	CHECK_EQ("setgid(100) (own real gid) returns 0", rump_sys_setgid(100), 0);
	CHECK_EQ("seteuid(1000) (own real uid) returns 0", rump_sys_seteuid(1000), 0);
	groups[0] = 5;
	CHECK_ERR("setgroups(1, {5}) as non-root fails with EPERM",
	    rump_sys_setgroups(1, groups), RUMP_EPERM);
	CHECK_EQ("... the groups are unchanged (3)", rump_sys_getgroups(0, NULL), 3);
	CHECK_ERR("__setlogin(\"x\") as non-root fails with EPERM",
	    rump_sys___setlogin("x"), RUMP_EPERM);

	/* ---- an rforked child inherits the ids ---- */
	REQUIRE("rfork() from the uid-1000 process returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	CHECK_TRUE("the grandchild has uid/euid 1000 and gid/egid 100",
	    ids_are(1000, 1000, 100, 100));
	CHECK_EQ("... and the 3 groups", rump_sys_getgroups(0, NULL), 3);
	CHECK_ERR("... setuid(0) fails with EPERM there too", rump_sys_setuid(0),
	    RUMP_EPERM);
	h_skip("issetugid() of an rforked child of a set-id process",
	    "the reference's lwproc_newproc clears p_flag (0), NetBSD's fork "
	    "keeps PK_SUGID (1): not asserted");
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(dropped);
	rump_pub_lwproc_releaselwp();

	/* ---- saved uid rules ---- */
	rump_pub_lwproc_switch(NULL);
	CHECK_TRUE("back in pid 1 as root", ids_are(0, 0, 0, 0));
	REQUIRE("rfork() for the saved-uid child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	CHECK_EQ("setreuid(-1, 1000) as root returns 0",
	    rump_sys_setreuid((uid_t)-1, 1000), 0);
	CHECK_EQ("... getuid() stays 0", rump_sys_getuid(), 0);
	CHECK_EQ("... geteuid() is 1000", rump_sys_geteuid(), 1000);
	CHECK_EQ("seteuid(0) with real uid 0 returns 0", rump_sys_seteuid(0), 0);
	CHECK_EQ("... geteuid() is 0", rump_sys_geteuid(), 0);
	CHECK_EQ("seteuid(1000) as root returns 0", rump_sys_seteuid(1000), 0);
	CHECK_ERR("seteuid(77) (neither real 0 nor saved 0) fails with EPERM",
	    rump_sys_seteuid(77), RUMP_EPERM);
	CHECK_EQ("seteuid(0) again returns 0", rump_sys_seteuid(0), 0);
	CHECK_EQ("setreuid(1000, 0) as root returns 0 (saved uid becomes 0)",
	    rump_sys_setreuid(1000, 0), 0);
	CHECK_EQ("... getuid() is 1000", rump_sys_getuid(), 1000);
	CHECK_EQ("... geteuid() is 0", rump_sys_geteuid(), 0);
	CHECK_EQ("seteuid(1000) returns 0", rump_sys_seteuid(1000), 0);
	CHECK_EQ("seteuid(0) as uid 1000 works through the saved uid 0",
	    rump_sys_seteuid(0), 0);
	CHECK_EQ("... geteuid() is 0", rump_sys_geteuid(), 0);
	CHECK_EQ("setreuid(2000, 2000) as root returns 0",
	    rump_sys_setreuid(2000, 2000), 0);
	CHECK_EQ("... getuid() is 2000", rump_sys_getuid(), 2000);
	CHECK_EQ("... geteuid() is 2000", rump_sys_geteuid(), 2000);
	CHECK_ERR("seteuid(0) now fails with EPERM (saved uid followed to 2000)",
	    rump_sys_seteuid(0), RUMP_EPERM);
	CHECK_ERR("seteuid(1000) fails with EPERM", rump_sys_seteuid(1000),
	    RUMP_EPERM);
	CHECK_EQ("setreuid(2000, 2000) (own ids) returns 0",
	    rump_sys_setreuid(2000, 2000), 0);
	rump_pub_lwproc_releaselwp();

	/* ---- group id rules ---- */
	REQUIRE("rfork() for the gid child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	CHECK_EQ("setgid(100) returns 0", rump_sys_setgid(100), 0);
	CHECK_EQ("setregid(-1, 50) as root returns 0",
	    rump_sys_setregid((gid_t)-1, 50), 0);
	CHECK_EQ("... getgid() stays 100", rump_sys_getgid(), 100);
	CHECK_EQ("... getegid() is 50", rump_sys_getegid(), 50);
	CHECK_EQ("setuid(1000) returns 0", rump_sys_setuid(1000), 0);
	CHECK_EQ("setegid(100) (the real gid) as non-root returns 0",
	    rump_sys_setegid(100), 0);
	CHECK_EQ("... getegid() is 100", rump_sys_getegid(), 100);
	CHECK_ERR("setegid(50) (neither real nor saved gid) fails with EPERM",
	    rump_sys_setegid(50), RUMP_EPERM);
	CHECK_ERR("setgid(7) fails with EPERM", rump_sys_setgid(7), RUMP_EPERM);
	CHECK_EQ("... getegid() stays 100", rump_sys_getegid(), 100);
	rump_pub_lwproc_releaselwp();

	/* ---- the session's login name ---- */
	CHECK_EQ("__setlogin(\"operator\") in pid 1 returns 0",
	    rump_sys___setlogin("operator"), 0);
	memset(login, 0, sizeof(login));
	CHECK_EQ("__getlogin() returns 0", rump_sys___getlogin(login, sizeof(login)), 0);
	CHECK_STR("... \"operator\"", login, "operator");
	memset(login, 0x55, sizeof(login));
	CHECK_EQ("__getlogin(buf, 3) returns 0 (copies namelen bytes)",
	    rump_sys___getlogin(login, 3), 0);
	CHECK_MEM("... the first 3 bytes \"ope\"", login, "ope", 3);
	CHECK_EQ("... and nothing past them", (unsigned char)login[3], 0x55);
	rump_pub_lwproc_switch(sess_child);
	memset(login, 0, sizeof(login));
	rump_sys___getlogin(login, sizeof(login));
	CHECK_STR("a child rforked earlier in the same session sees \"operator\"",
	    login, "operator");
	CHECK_EQ("that child's setsid() returns its pid", rump_sys_setsid(),
	    rump_sys_getpid());
	memset(login, 0, sizeof(login));
	rump_sys___getlogin(login, sizeof(login));
	CHECK_STR("... its new session starts with a copy, \"operator\"", login,
	    "operator");
	CHECK_EQ("... __setlogin(\"eve\") there returns 0", rump_sys___setlogin("eve"),
	    0);
	rump_pub_lwproc_releaselwp();
	memset(login, 0, sizeof(login));
	rump_sys___getlogin(login, sizeof(login));
	CHECK_STR("pid 1's session keeps \"operator\"", login, "operator");
	CHECK_EQ("__setlogin() of 16 bytes (MAXLOGNAME) returns 0",
	    rump_sys___setlogin("abcdefghijklmnop"), 0);
	memset(login, 0, sizeof(login));
	CHECK_EQ("... __getlogin(buf, 17) returns 0",
	    rump_sys___getlogin(login, 17), 0);
	CHECK_STR("... and reads it back", login, "abcdefghijklmnop");
	CHECK_ERR("__setlogin() of 17 bytes fails with EINVAL",
	    rump_sys___setlogin("abcdefghijklmnopq"), RUMP_EINVAL);
	memset(login, 0, sizeof(login));
	rump_sys___getlogin(login, 17);
	CHECK_STR("... and the name is unchanged", login, "abcdefghijklmnop");
	CHECK_ERR("__setlogin(NULL) fails with EFAULT", rump_sys___setlogin(NULL),
	    RUMP_EFAULT);
	CHECK_ERR("__getlogin(NULL, 17) fails with EFAULT",
	    rump_sys___getlogin(NULL, 17), RUMP_EFAULT);

	/* ---- kernel credentials ---- */
	{
		gid_t g2[2] = { 10, 20 };
		struct kauth_cred *c1, *c2, *c3;

		c1 = rump_pub_cred_create(1000, 100, 2, g2);
		CHECK_NONNULL("rump_pub_cred_create(1000, 100, 2 groups) returns a cred",
		    c1);
		c2 = rump_pub_cred_create(0, 0, 0, NULL);
		CHECK_NONNULL("rump_pub_cred_create(0, 0, 0, NULL) returns a cred", c2);
		CHECK_TRUE("... a different one", c1 != c2);
		c3 = rump_cred_create(7, 7, 0, NULL);
		CHECK_NONNULL("rump_cred_create (kernel-side name) returns a cred", c3);
		rump_pub_cred_put(c1);
		rump_pub_cred_put(c2);
		rump_cred_put(c3);
		CHECK_EQ("after the puts the kernel still works: getpid() is 1",
		    rump_sys_getpid(), 1);
	}
	h_run_sub("badput", NULL, 20, &r);
	CHECK_SUB_EXIT("rump_pub_cred_put(bogus pointers): no crash", &r, 0);
	h_check_sub_val("... the kernel keeps working (getpid() 1)", &r, "alive", 1,
	    H_ANY);
	CHECK_TRUE("... and a message is printed on stderr", r.errlen > 0);
	h_run_sub("doubleput", NULL, 20, &r);
	CHECK_SUB_EXIT("rump_pub_cred_put() twice on one cred: no crash", &r, 0);
	h_check_sub_val("... the kernel keeps working", &r, "alive", 1, H_ANY);
	CHECK_TRUE("... and the second put prints a message", r.errlen > 0);

	return h_end();
}
