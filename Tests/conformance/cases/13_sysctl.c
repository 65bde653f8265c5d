/* libs: -lrump -lrumpuser */
/*
 * 13_sysctl: __sysctl on the kernel's identification and hardware nodes.
 *
 * Values: kern.ostype "NetBSD", kern.osrelease "7.99.34", kern.osrevision
 * 799003400, kern.version "NetBSD 7.99.34 ...", kern.hostname (root may set
 * it, at most MAXHOSTNAMELEN 256 bytes with its NUL), kern.domainname,
 * kern.boottime (CTL_KERN 83, a 16-byte timespec), kern.ngroups 16,
 * kern.login_name_max 17, kern.iov_max 1024, hw.machine "amd64",
 * hw.machine_arch "x86_64", hw.byteorder 1234, hw.pagesize, hw.ncpu.
 * Errors as NetBSD's kern_sysctl.c returns them: a name of 0 or more than
 * CTL_MAXNAME (12) components EINVAL, an unknown number ENOENT, a name
 * that goes on below a leaf ENOTDIR, a name that stops at an inner node
 * EINVAL (NetBSD's sysctl_dispatch hands it to sysctl_lookup, which refuses
 * to "look up" a node; sysctl(3)'s EISDIR is not what the code returns),
 * a bad pointer EFAULT, a short old buffer ENOMEM (after copying what
 * fits), writing a read-only node or writing as non-root EPERM.
 */
#include "../harness.h"

static int
sysctln(const int *mib, unsigned n, void *old, size_t *oldlen, const void *new,
    size_t newlen)
{
	return rump_sys___sysctl(mib, n, old, oldlen, new, newlen);
}

int
main(int argc, char **argv)
{
	char buf[1024], big[512];
	size_t len;
	int mib[16], v;
	struct rump_timespec bt;
	double now;

	(void)argc;
	(void)argv;
	h_begin("13_sysctl");
	now = h_realtime();
	H_BOOT();

	/* ---- identification ---- */
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	CHECK_EQ("kern.ostype returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len, NULL, 0), 0);
	CHECK_STR("kern.ostype is \"NetBSD\"", buf, "NetBSD");
	CHECK_EQ("kern.ostype: oldlen 7 (with the NUL)", len, 7);
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	CHECK_EQ("kern.osrelease returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSRELEASE, buf, &len, NULL, 0), 0);
	CHECK_STR("kern.osrelease is \"7.99.34\"", buf, "7.99.34");
	CHECK_EQ("kern.osrelease: oldlen 8", len, 8);
	CHECK_EQ("kern.osrevision is 799003400",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_OSREV), 799003400);
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	CHECK_EQ("kern.version returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_VERSION, buf, &len, NULL, 0), 0);
	CHECK_TRUE("kern.version starts with \"NetBSD 7.99.34\"",
	    strncmp(buf, "NetBSD 7.99.34", 14) == 0);
	CHECK_EQ("kern.version: oldlen is strlen + 1", len, strlen(buf) + 1);
	CHECK_EQ("kern.ngroups is 16", h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_NGROUPS),
	    16);
	CHECK_EQ("kern.login_name_max is 17",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_LOGIN_NAME_MAX), 17);
	CHECK_EQ("kern.iov_max is 1024",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_IOV_MAX), 1024);
	CHECK_EQ("kern.job_control is 1",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_JOB_CONTROL), 1);
	CHECK_EQ("kern.saved_ids is 1",
	    h_sysctl_int(RUMP_CTL_KERN, RUMP_KERN_SAVED_IDS), 1);

	/* kern.boottime: a NetBSD timespec near the host's clock at boot */
	memset(&bt, 0xa5, sizeof(bt));
	len = sizeof(bt);
	CHECK_EQ("kern.boottime (CTL_KERN 83) returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_BOOTTIME, &bt, &len, NULL, 0), 0);
	CHECK_EQ("kern.boottime is 16 bytes", len, 16);
	CHECK_RANGE("kern.boottime seconds within 3 s of the host clock at boot",
	    (long long)bt.tv_sec, (long long)now - 3, (long long)now + 3);
	CHECK_RANGE("kern.boottime nanoseconds in 0..999999999",
	    (long long)bt.tv_nsec, 0, 999999999);
	len = 0;
	CHECK_EQ("kern.boottime size probe returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_BOOTTIME, NULL, &len, NULL, 0), 0);
	CHECK_EQ("... and reports 16", len, 16);

	/* ---- hardware ---- */
	CHECK_STR("hw.machine is \"amd64\"",
	    h_sysctl_str(RUMP_CTL_HW, RUMP_HW_MACHINE, buf, sizeof(buf)), "amd64");
	CHECK_STR("hw.machine_arch is \"x86_64\"",
	    h_sysctl_str(RUMP_CTL_HW, RUMP_HW_MACHINE_ARCH, buf, sizeof(buf)),
	    "x86_64");
	CHECK_EQ("hw.byteorder is 1234", h_sysctl_int(RUMP_CTL_HW, RUMP_HW_BYTEORDER),
	    1234);
	CHECK_EQ("hw.pagesize is the host's page size",
	    h_sysctl_int(RUMP_CTL_HW, RUMP_HW_PAGESIZE), sysconf(_SC_PAGESIZE));
	CHECK_EQ("hw.ncpu is 2", h_sysctl_int(RUMP_CTL_HW, RUMP_HW_NCPU), 2);
	{
		int64_t q = -1;

		len = sizeof(q);
		CHECK_EQ("hw.physmem64 returns 0",
		    h_sysctl2(RUMP_CTL_HW, RUMP_HW_PHYSMEM64, &q, &len, NULL, 0), 0);
		CHECK_EQ("hw.physmem64 is an 8-byte value", len, 8);
		CHECK_TRUE("hw.physmem64 is a positive multiple of the page size",
		    q > 0 && q % sysconf(_SC_PAGESIZE) == 0);
	}

	/* ---- sizes and short buffers ---- */
	len = 0;
	CHECK_EQ("kern.ostype with oldp NULL returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, &len, NULL, 0), 0);
	CHECK_EQ("... and reports the size 7", len, 7);
	memset(buf, 0, sizeof(buf));
	len = 3;
	CHECK_ERR("kern.ostype into 3 bytes fails with ENOMEM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len, NULL, 0),
	    RUMP_ENOMEM);
	CHECK_MEM("... after copying \"Net\"", buf, "Net\0", 4);
	CHECK_EQ("... and oldlen tells the full size 7", len, 7);
	v = -1;
	len = 2;
	CHECK_ERR("kern.osrevision into 2 bytes fails with ENOMEM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSREV, &v, &len, NULL, 0),
	    RUMP_ENOMEM);
	CHECK_EQ("... oldlen tells 4", len, 4);
	CHECK_EQ("reading with neither oldp nor oldlenp returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, NULL, NULL, 0), 0);

	/* ---- bad names ---- */
	mib[0] = RUMP_CTL_KERN;
	mib[1] = RUMP_KERN_OSTYPE;
	len = sizeof(buf);
	CHECK_ERR("namelen 0 fails with EINVAL",
	    sysctln(mib, 0, buf, &len, NULL, 0), RUMP_EINVAL);
	for (v = 0; v < 13; v++)
		mib[v] = 1;
	len = sizeof(buf);
	CHECK_ERR("namelen 13 (> CTL_MAXNAME) fails with EINVAL",
	    sysctln(mib, 13, buf, &len, NULL, 0), RUMP_EINVAL);
	mib[0] = RUMP_CTL_KERN;
	mib[1] = 99999;
	len = sizeof(buf);
	CHECK_ERR("kern.<99999> fails with ENOENT",
	    sysctln(mib, 2, buf, &len, NULL, 0), RUMP_ENOENT);
	mib[0] = 99;
	len = sizeof(buf);
	CHECK_ERR("top-level <99> fails with ENOENT",
	    sysctln(mib, 1, buf, &len, NULL, 0), RUMP_ENOENT);
	mib[0] = RUMP_CTL_KERN;
	mib[1] = RUMP_KERN_OSTYPE;
	mib[2] = 5;
	len = sizeof(buf);
	CHECK_ERR("{kern, ostype, 5} (below a leaf) fails with ENOTDIR",
	    sysctln(mib, 3, buf, &len, NULL, 0), RUMP_ENOTDIR);
	mib[0] = RUMP_CTL_KERN;
	len = sizeof(buf);
	CHECK_ERR("{kern} (an inner node) fails with EINVAL (sysctl_lookup: "
	    "a node cannot be looked up)", sysctln(mib, 1, buf, &len, NULL, 0),
	    RUMP_EINVAL);
	mib[0] = RUMP_CTL_HW;
	len = sizeof(buf);
	CHECK_ERR("{hw} (an inner node) fails with EINVAL",
	    sysctln(mib, 1, buf, &len, NULL, 0), RUMP_EINVAL);
	len = sizeof(buf);
	CHECK_ERR("a NULL name pointer fails with EFAULT",
	    rump_sys___sysctl(NULL, 2, buf, &len, NULL, 0), RUMP_EFAULT);
	len = 1;
	CHECK_ERR("a bad oldlenp pointer (1) fails with EFAULT",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, (size_t *)1, NULL, 0),
	    RUMP_EFAULT);

	/* ---- writing ---- */
	CHECK_ERR("writing kern.ostype (read-only) fails with EPERM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, NULL, "Linux", 6),
	    RUMP_EPERM);
	CHECK_STR("... kern.ostype is unchanged",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, sizeof(buf)), "NetBSD");
	v = 5;
	CHECK_ERR("writing kern.osrevision (read-only int) with newlen 2: EPERM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSREV, NULL, NULL, &v, 2), RUMP_EPERM);
	CHECK_ERR("writing kern.osrevision with newlen 4: EPERM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSREV, NULL, NULL, &v, 4), RUMP_EPERM);
	CHECK_ERR("writing hw.ncpu: EPERM",
	    h_sysctl2(RUMP_CTL_HW, RUMP_HW_NCPU, NULL, NULL, &v, 4), RUMP_EPERM);

	CHECK_EQ("root sets kern.hostname to \"conformance\"",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "conformance",
	    12), 0);
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("kern.hostname read back returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len, NULL, 0), 0);
	CHECK_STR("... \"conformance\"", buf, "conformance");
	CHECK_EQ("... oldlen 12", len, 12);
	CHECK_EQ("kern.hostname set without a NUL (\"abc\", newlen 3) returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "abcdef", 3), 0);
	CHECK_STR("... reads back \"abc\"",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)), "abc");
	/* read the old value and set a new one in one call */
	memset(buf, 0, sizeof(buf));
	len = sizeof(buf);
	CHECK_EQ("read-and-set kern.hostname in one call returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len, "xyz", 4), 0);
	CHECK_STR("... returns the old name \"abc\"", buf, "abc");
	CHECK_STR("... and sets \"xyz\"",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)), "xyz");

	memset(big, 'h', sizeof(big));
	big[255] = '\0';
	CHECK_EQ("kern.hostname of 255 bytes + NUL (256) returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, big, 256), 0);
	CHECK_EQ("... reads back 255 bytes",
	    (long long)strlen(h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf,
	    sizeof(buf))), 255);
	memset(big, 'g', sizeof(big));
	CHECK_ERR("kern.hostname of 256 bytes without a NUL fails with EINVAL",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, big, 256),
	    RUMP_EINVAL);
	CHECK_ERR("kern.hostname of 300 bytes fails with EINVAL",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, big, 300),
	    RUMP_EINVAL);
	CHECK_EQ("... the name is still the 255-byte one",
	    (long long)strlen(h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf,
	    sizeof(buf))), 255);
	CHECK_EQ("kern.hostname set to \"final\" returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "final", 6), 0);
	CHECK_EQ("newp NULL with newlen 4 is no write: returns 0",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, NULL, 4), 0);
	CHECK_STR("... the name is unchanged",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)),
	    "final");

	/* kern.domainname */
	CHECK_STR("kern.domainname is empty at boot",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_DOMAINNAME, buf, sizeof(buf)), "");
	CHECK_EQ("root sets kern.domainname to \"example.org\"",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_DOMAINNAME, NULL, NULL, "example.org",
	    12), 0);
	CHECK_STR("... reads back \"example.org\"",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_DOMAINNAME, buf, sizeof(buf)),
	    "example.org");

	/* a non-root process may read but not write */
	REQUIRE("rfork() for the non-root child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	REQUIRE("setuid(1000) in the child returns 0", rump_sys_setuid(1000) == 0);
	CHECK_ERR("non-root writing kern.hostname fails with EPERM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL, "evil", 5),
	    RUMP_EPERM);
	CHECK_ERR("non-root writing kern.domainname fails with EPERM",
	    h_sysctl2(RUMP_CTL_KERN, RUMP_KERN_DOMAINNAME, NULL, NULL, "evil", 5),
	    RUMP_EPERM);
	CHECK_STR("non-root reads kern.domainname",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_DOMAINNAME, buf, sizeof(buf)),
	    "example.org");
	CHECK_STR("non-root reads kern.ostype",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, sizeof(buf)), "NetBSD");
	rump_pub_lwproc_releaselwp();
	CHECK_STR("... the hostname is still \"final\"",
	    h_sysctl_str(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, sizeof(buf)),
	    "final");

	return h_end();
}
