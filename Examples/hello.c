/*
 * hello: boot a rump kernel in this process and look around in it.
 *
 *   cc -o hello hello.c $(pkg-config --cflags --libs rump)
 *
 * Shows the kernel's identity, processes made with rump_pub_lwproc_rfork(),
 * credentials dropped with setuid(), and NetBSD errno values on failure.
 */
#include <sys/types.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>
#include <rump/rumperr.h>

static void
sysctl_string(int top, int leaf, const char *label)
{
	int mib[2] = { top, leaf };
	char buf[256];
	size_t len = sizeof(buf);

	if (rump_sys___sysctl(mib, 2, buf, &len, NULL, 0) == 0)
		printf("  %-14s %s\n", label, buf);
	else
		printf("  %-14s error %d (%s)\n", label, errno, rump_strerror(errno));
}

int
main(void)
{
	int rv, ncpu, mib[2] = { RUMP_CTL_HW, RUMP_HW_NCPU };
	size_t len = sizeof(ncpu);
	struct lwp *parent;

	rv = rump_init();
	if (rv != 0) {
		fprintf(stderr, "rump_init: %s\n", rump_strerror(rv));
		return 1;
	}
	printf("rump kernel up: NetBSD ABI version %d\n", rump_getversion());
	sysctl_string(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, "kern.ostype");
	sysctl_string(RUMP_CTL_KERN, RUMP_KERN_OSRELEASE, "kern.osrelease");
	sysctl_string(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, "kern.hostname");
	if (rump_sys___sysctl(mib, 2, &ncpu, &len, NULL, 0) == 0)
		printf("  %-14s %d\n", "hw.ncpu", ncpu);

	printf("\nprocesses:\n");
	printf("  this thread runs as pid %d (parent %d), uid %d\n",
	    rump_sys_getpid(), rump_sys_getppid(), rump_sys_getuid());
	rv = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (rv != 0) {
		fprintf(stderr, "rfork: %s\n", rump_strerror(rv));
		return 1;
	}
	parent = rump_pub_lwproc_curlwp();
	printf("  after rfork: pid %d, parent %d\n", rump_sys_getpid(), rump_sys_getppid());
	rv = rump_pub_lwproc_rfork(RUMP_RFFDG);
	if (rv != 0) {
		fprintf(stderr, "rfork: %s\n", rump_strerror(rv));
		return 1;
	}
	printf("  its child:   pid %d, parent %d\n", rump_sys_getpid(), rump_sys_getppid());

	printf("\nidentity:\n");
	if (rump_sys_setuid(1000) == 0)
		printf("  setuid(1000): uid %d, euid %d\n", rump_sys_getuid(), rump_sys_geteuid());
	if (rump_sys_setuid(0) == -1)
		printf("  setuid(0) as uid 1000: -1, errno %d (%s)\n", errno, rump_strerror(errno));
	mib[0] = RUMP_CTL_KERN;
	mib[1] = RUMP_KERN_HOSTNAME;
	if (rump_sys___sysctl(mib, 2, NULL, NULL, "mine", 5) == -1)
		printf("  set kern.hostname as uid 1000: -1, errno %d (%s)\n", errno,
		    rump_strerror(errno));
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	printf("  back in pid %d as uid %d\n", rump_sys_getpid(), rump_sys_getuid());
	rump_pub_lwproc_releaselwp();

	printf("\nfiles: open(\"/etc/passwd\") gives ");
	if (rump_sys_open("/etc/passwd", RUMP_O_RDONLY) == -1)
		printf("errno %d (%s): this kernel has no VFS faction linked\n", errno,
		    rump_strerror(errno));
	else
		printf("a descriptor\n");
	return 0;
}
