/*
 * client: uses the hello faction (hello_faction.c) through the system call
 * it adds and the /dev/hello device it creates.
 *
 *   client              the faction is linked into this program
 *   client PATH.so      the faction is loaded after rump_init()
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
#include <rump/rumperr.h>

#define SYS_HELLO	500
#define HELLOGETCOUNT	0x40046801

int
main(int argc, char **argv)
{
	char buf[128];
	long args[2] = { (long)(uintptr_t)buf, sizeof(buf) }, retval[2];
	ssize_t n;
	int fd, rv, count, mib[3] = { RUMP_CTL_HW, 0, 1 };

	if ((rv = rump_init()) != 0) {
		fprintf(stderr, "rump_init: %s\n", rump_strerror(rv));
		return 1;
	}
	if (argc > 1 && (rv = rump_faction_load(argv[1])) != 0) {
		fprintf(stderr, "rump_faction_load(%s): %s\n", argv[1], rump_strerror(rv));
		return 1;
	}
	if ((rv = rump_syscall(SYS_HELLO, args, sizeof(args), retval)) != 0) {
		fprintf(stderr, "hello system call: %s\n", rump_strerror(rv));
		return 1;
	}
	printf("system call %d: \"%s\" (%ld bytes)\n", SYS_HELLO, buf, retval[0]);

	if ((fd = rump_sys_open("/dev/hello", RUMP_O_RDWR)) == -1) {
		fprintf(stderr, "open /dev/hello: %s\n", rump_strerror(errno));
		return 1;
	}
	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("/dev/hello says: %s", buf);
	rump_sys_write(fd, "Goodbye!\n", 9);
	rump_sys_close(fd);
	fd = rump_sys_open("/dev/hello", RUMP_O_RDONLY);
	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("after a write it says: %s", buf);
	if (rump_sys_ioctl(fd, HELLOGETCOUNT, &count) == 0)
		printf("HELLOGETCOUNT: opened %d times\n", count);
	rump_sys_close(fd);
	(void)mib;
	return 0;
}
