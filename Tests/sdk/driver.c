/*
 * driver: the faction SDK through a plugin linked into the program
 * (sdk_plugin.c): modules and modctl, rump_pub_module_init/fini, a system
 * call that uses copyin/copyout, kmem, locks, a kernel thread and kauth, and
 * sysctl nodes a plugin created.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_faction.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#undef printf	/* the driver is a host program */

struct sdk_request { int value, pid, euid, thread_saw, base_inits; };
struct modctl_load { const char *ml_filename; int ml_flags; const char *ml_props; size_t ml_propslen; };
struct iov { void *base; size_t len; };

static int npass, nfail;

static void
check_int(const char *what, long got, long want)
{
	if (got == want) {
		printf("ok - sdk: %s\n", what);
		npass++;
	} else {
		printf("not ok - sdk: %s: got %ld (errno %d) want %ld\n", what, got, errno, want);
		nfail++;
	}
}

static int
modload(const char *name)
{
	struct modctl_load ml = { name, 0, NULL, 0 };

	return rump_sys_modctl(RUMP_MODCTL_LOAD, &ml);
}

/* Is name listed by MODCTL_STAT, and with what reference count? (-1: not listed) */
static int
modstat(const char *name)
{
	static char buf[392 * 32];
	struct iov iov = { buf, sizeof(buf) };
	size_t off;

	if (rump_sys_modctl(RUMP_MODCTL_STAT, &iov) != 0)
		return -2;
	for (off = 0; off + 392 <= iov.len && off + 392 <= sizeof(buf); off += 392)
		if (strcmp(buf + off, name) == 0)
			return *(int *)(void *)(buf + off + 352 + 20);
	return -1;
}

static int local_inits;
static int
local_modcmd(modcmd_t cmd, void *arg)
{
	(void)arg;
	if (cmd == MODULE_CMD_INIT)
		local_inits++;
	return 0;
}
static const modinfo_t local_modinfo = { 799003400, MODULE_CLASS_MISC, local_modcmd, "sdklocal", NULL };

int
main(void)
{
	struct sdk_request req;
	const modinfo_t *list[1] = { &local_modinfo };
	int mib[3] = { RUMP_CTL_HW, 4242, 1 };
	char motd[32];
	size_t len;
	long rv;
	int v;

	check_int("rump_init", rump_init(), 0);

	check_int("sdkbase is loaded at boot", modstat("sdkbase") >= 0, 1);
	check_int("sdkuser is loaded at boot", modstat("sdkuser"), 0);
	check_int("... and sdkbase counts it as a dependent", modstat("sdkbase"), 1);
	check_int("sdkfail (its init fails) is not loaded", modstat("sdkfail"), -1);
	check_int("sdkorphan (requires a missing module) is not loaded", modstat("sdkorphan"), -1);
	check_int("unloading a required module is EBUSY", rump_sys_modctl(RUMP_MODCTL_UNLOAD, "sdkbase"), -1);
	check_int("... errno EBUSY", errno, RUMP_EBUSY);
	check_int("unload sdkuser", rump_sys_modctl(RUMP_MODCTL_UNLOAD, "sdkuser"), 0);
	check_int("then sdkbase", rump_sys_modctl(RUMP_MODCTL_UNLOAD, "sdkbase"), 0);
	check_int("unloading it again is ENOENT", rump_sys_modctl(RUMP_MODCTL_UNLOAD, "sdkbase"), -1);
	check_int("... errno ENOENT", errno, RUMP_ENOENT);
	check_int("loading sdkuser by name loads sdkbase first", modload("sdkuser"), 0);
	check_int("... sdkbase is back", modstat("sdkbase"), 1);
	check_int("loading it again is EEXIST", modload("sdkuser"), -1);
	check_int("... errno EEXIST", errno, RUMP_EEXIST);
	check_int("loading an unknown module is ENOENT", modload("nosuchmodule"), -1);
	check_int("... errno ENOENT", errno, RUMP_ENOENT);
	check_int("loading the failing module reports its error (EIO)", modload("sdkfail"), -1);
	check_int("... errno EIO", errno, RUMP_EIO);
	check_int("MODCTL_EXISTS 0", rump_sys_modctl(RUMP_MODCTL_EXISTS, (void *)0), 0);

	check_int("rump_pub_module_init of a module in the program", rump_pub_module_init(list, 1), 0);
	check_int("... its modcmd ran", local_inits, 1);
	check_int("... a second init is EEXIST", rump_pub_module_init(list, 1), RUMP_EEXIST);
	check_int("rump_pub_module_fini", rump_pub_module_fini(&local_modinfo), 0);
	check_int("... a second fini is ENOENT", rump_pub_module_fini(&local_modinfo), RUMP_ENOENT);

	memset(&req, 0, sizeof(req));
	req.value = 41;
	rv = rump_syscall(501, &(long){ (long)(uintptr_t)&req }, sizeof(long), (long[2]){ 0, 0 });
	check_int("syscall 501 (copyin, kmem, mutex, cv, kthread, copyout)", rv, 0);
	check_int("... the kernel thread ran and signalled", req.thread_saw, 42);
	check_int("... curproc is pid 1", req.pid, 1);
	check_int("... kauth_cred_geteuid is 0", req.euid, 0);
	check_int("... sdkbase was initialised twice (boot, reload)", req.base_inits, 2);
	rv = rump_syscall(501, NULL, 0, NULL);
	check_int("syscall 501 with a NULL argument block: EFAULT", rv, RUMP_EFAULT);

	check_int("rfork for a non-root caller", rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	check_int("setuid(1000)", rump_sys_setuid(1000), 0);
	{
		long r[2] = { -1, -1 };
		long a = (long)(uintptr_t)&req;

		check_int("syscall 501 as uid 1000", rump_syscall(501, &a, sizeof(a), r), 0);
		check_int("... kauth_cred_geteuid is 1000", req.euid, 1000);
		check_int("... kauth_authorize_generic(ISSUSER) is EPERM", r[0], RUMP_EPERM);
		check_int("... curproc is the child", req.pid, rump_sys_getpid());
	}
	check_int("modctl load as non-root is EPERM", modload("sdkbase"), -1);
	check_int("... errno EPERM", errno, RUMP_EPERM);
	v = 99;
	check_int("writing the plugin's sysctl as non-root is EPERM",
	    rump_sys___sysctl(mib, 3, NULL, NULL, &v, sizeof(v)), -1);
	rump_pub_lwproc_releaselwp();

	len = sizeof(v);
	check_int("read hw.sdktest.counter", rump_sys___sysctl(mib, 3, &v, &len, NULL, 0), 0);
	check_int("... 7", v, 7);
	v = 99;
	check_int("write it as root", rump_sys___sysctl(mib, 3, NULL, NULL, &v, sizeof(v)), 0);
	v = 0;
	len = sizeof(v);
	check_int("read it back", rump_sys___sysctl(mib, 3, &v, &len, NULL, 0), 0);
	check_int("... 99", v, 99);
	mib[2] = 2;
	len = sizeof(motd);
	check_int("read hw.sdktest.motd", rump_sys___sysctl(mib, 3, motd, &len, NULL, 0), 0);
	check_int("... \"hello\", 6 bytes", len == 6 && strcmp(motd, "hello") == 0, 1);
	check_int("motd is read-only: EPERM", rump_sys___sysctl(mib, 3, NULL, NULL, "x", 2), -1);

	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
