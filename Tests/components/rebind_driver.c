/*
 * rebind_driver: system call rebinding, with the plugin loaded after boot
 * (rump_faction_load) or, with --linked, linked into the program.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_component.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

static int npass, nfail;

static void
check_int(const char *what, long got, long want)
{
	if (got == want) {
		printf("ok - rebinding: %s\n", what);
		npass++;
	} else {
		printf("not ok - rebinding: %s: got %ld (errno %d) want %ld\n", what, got, errno, want);
		nfail++;
	}
}

int
main(int argc, char **argv)
{
	int linked = argc > 2 && strcmp(argv[2], "--linked") == 0;
	long retval[2];
	int rv;

	check_int("rump_init", rump_init(), 0);
	if (!linked) {
		check_int("before loading: getpid is the kernel's (1)", rump_sys_getpid(), 1);
		check_int("before loading: socket is ENOSYS",
		    rump_sys_socket(RUMP_AF_LOCAL, RUMP_SOCK_STREAM, 0), -1);
		check_int("rump_faction_load(plugin)", rump_faction_load(argv[1]), 0);
	}
	check_int("getpid is replaced by rumpns_sys_getpid", rump_sys_getpid(), 4242);
	check_int("getppid is still the kernel's", rump_sys_getppid(), 0);
	rv = rump_syscall(RUMP_SYS_getpid, NULL, 0, retval);
	check_int("rump_syscall(getpid) returns 0", rv, 0);
	check_int("... retval[1] from the plugin", retval[1], 4141);
	check_int("socket is filled by rumpns_sys___socket30",
	    rump_sys_socket(RUMP_AF_INET, RUMP_SOCK_DGRAM, 0), 202);
	errno = 1234;
	check_int("typed sendto through libffi: six mixed arguments arrive intact",
	    rump_sys_sendto(-7, "hello", 5, 0x80, (const struct sockaddr *)(uintptr_t)0x1234,
	    0xfffffff0u), 5);
	check_int("... and errno is 0 after success", errno, 0);
	check_int("typed sendto: the handler's error comes back",
	    rump_sys_sendto(-7, "hellx", 5, 0x80, (const struct sockaddr *)(uintptr_t)0x1234,
	    0xfffffff0u), -1);
	check_int("... as EINVAL", errno, RUMP_EINVAL);
	rv = rump_syscall(500, NULL, 0, retval);
	check_int("a SYSCALL component established call 500", rv, 0);
	check_int("... which ran", retval[0], 1);
	check_int("the number after it is still ENOSYS", rump_syscall(501, NULL, 0, retval),
	    RUMP_ENOSYS);
	check_int("the kernel still works: getuid is 0", rump_sys_getuid(), 0);

	/* A process may go back to the kernel's own handlers, if told it may. */
	check_int("rfork", rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	errno = 0;
	rump_pub_lwproc_sysent_usenative();
	check_int("usenative without rump_i_know_what_i_am_doing_with_sysents: EPERM", errno,
	    RUMP_EPERM);
	check_int("... and the plugin's getpid is still used", rump_sys_getpid(), 4242);
	rump_i_know_what_i_am_doing_with_sysents = 1;
	rump_pub_lwproc_sysent_usenative();
	check_int("with it: getpid is the kernel's again (the child's pid)", rump_sys_getpid() != 4242, 1);
	check_int("... and getppid is 1", rump_sys_getppid(), 1);
	rv = rump_syscall(500, NULL, 0, retval);
	check_int("... established calls stay (call 500)", rv, 0);
	rump_pub_lwproc_releaselwp();
	check_int("other processes keep the plugin's getpid", rump_sys_getpid(), 4242);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
