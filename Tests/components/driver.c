/*
 * driver: components in the program itself (linked -rdynamic), in a linked
 * library, in plugins dlopen()ed before rump_init() (link set, RTLD_LOCAL;
 * and constructor style), and in a plugin loaded after it.  Checks that each
 * runs exactly once, in the reference's type order, and that the error cases
 * (a duplicate faction, a non-plugin, a missing file) leave the kernel working.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_component.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

#include "record.h"

static char log_buf[4096];
static int npass, nfail;

void
test_record(const char *what)
{
	if (log_buf[0] != '\0')
		strcat(log_buf, " ");
	strcat(log_buf, what);
}

static void
check(const char *what, int ok, const char *detail)
{
	if (ok) {
		printf("ok - components: %s\n", what);
		npass++;
	} else {
		printf("not ok - components: %s: %s\n", what, detail);
		nfail++;
	}
}

static void
check_int(const char *what, long got, long want)
{
	char d[128];

	snprintf(d, sizeof(d), "got %ld want %ld", got, want);
	check(what, got == want, d);
}

static void
check_log(const char *what, const char *want)
{
	char d[4400];

	snprintf(d, sizeof(d), "got \"%s\" want \"%s\"", log_buf, want);
	check(what, strcmp(log_buf, want) == 0, d);
}

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{
	test_record("main:postinit");
}

RUMP_COMPONENT(RUMP_COMPONENT_KERN)
{
	test_record("main:kern");
}

/* In a fresh process (--dup DIR): a boot that sees two DEV factions. */
static int
dup_main(const char *dir)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/liblocal_plugin.so", dir);
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL)
		return 100;
	snprintf(path, sizeof(path), "%s/libdup_faction.so", dir);
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL)
		return 101;
	return rump_init();
}

static int
duplicate_faction_boot(const char *dir)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", "driver", "--dup", dir, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : ".";
	char path[1024];
	void *h;
	int rv;

	if (argc > 2 && strcmp(argv[1], "--dup") == 0)
		return dup_main(argv[2]);
	snprintf(path, sizeof(path), "%s/liblocal_plugin.so", dir);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	check("dlopen a link-set plugin RTLD_LOCAL before rump_init", h != NULL, dlerror());
	snprintf(path, sizeof(path), "%s/libctor_plugin.so", dir);
	h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
	check("dlopen a constructor plugin before rump_init", h != NULL, dlerror());
	check_log("nothing runs before rump_init", "");

	rv = rump_init();
	check_int("rump_init returns 0", rv, 0);
	/* By type; within a type, constructor registrations first, then objects in load order. */
	check_log("every component ran once, in the reference's type order",
	    "main:kern local:kern local:faction_dev local:dev linked:kern_vfs "
	    "ctor:postinit main:postinit linked:syscall");
	check_int("rump_component_count(KERN) is 2", rump_component_count(RUMP_COMPONENT_KERN), 2);
	check_int("rump_component_count(POSTINIT) is 2",
	    rump_component_count(RUMP_COMPONENT_POSTINIT), 2);
	check_int("rump_component_count(RUMP__FACTION_DEV) is 1",
	    rump_component_count(RUMP__FACTION_DEV), 1);
	check_int("rump_component_count(VFS) is 0", rump_component_count(RUMP_COMPONENT_VFS), 0);

	log_buf[0] = '\0';
	rump_component_init(RUMP_COMPONENT_KERN);
	check_log("rump_component_init of an already run type runs nothing", "");
	check_int("a second rump_init returns 0", rump_init(), 0);
	check_log("... and runs nothing again", "");

	snprintf(path, sizeof(path), "%s/liblate_plugin.so", dir);
	check_int("rump_faction_load of a plugin after rump_init returns 0", rump_faction_load(path), 0);
	check_log("... and its component ran at once", "late:postinit");
	log_buf[0] = '\0';
	check_int("loading the same plugin again returns 0",
	    rump_faction_load(path), 0);
	check_log("... and runs nothing", "");
	snprintf(path, sizeof(path), "%s/libdup_faction.so", dir);
	check_int("a second DEV faction after boot is refused with EEXIST",
	    rump_faction_load(path), RUMP_EEXIST);
	check_log("... and its component did not run", "");
	check_int("rump_faction_load of a missing file returns ENOENT",
	    rump_faction_load("/nonexistent/libnothing.so"), RUMP_ENOENT);
	check_int("rump_faction_load of a non-plugin returns ENOEXEC",
	    rump_faction_load("/etc/hostname"), RUMP_ENOEXEC);
	check_int("rump_faction_load(NULL) returns EFAULT", rump_faction_load(NULL), RUMP_EFAULT);
	snprintf(path, sizeof(path), "%s/libunresolved.so", dir);
	check_int("a plugin needing a missing kernel symbol returns ENOEXEC",
	    rump_faction_load(path), RUMP_ENOEXEC);
	check_int("the kernel still works: getpid is 1", rump_sys_getpid(), 1);

	check_int("a boot with two DEV factions fails with EEXIST", duplicate_faction_boot(dir),
	    RUMP_EEXIST);

	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
