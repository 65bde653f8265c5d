/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 26_vfs_positioned: pread, pwrite, preadv and pwritev on rumpfs files.
 * They use their own offset and leave the file's alone, read 0 at and past
 * the end, leave holes that read as zeros, append under O_APPEND (NetBSD's
 * vn_write sets IO_APPEND from the file's flags), and refuse: EBADF (9) for
 * the wrong access mode, EINVAL (22) for a negative offset or a bad iovec
 * count, ESPIPE (29) on a pipe.
 */
#include "../harness.h"

struct nb_iovec { void *base; size_t len; };

int
main(void)
{
	struct nb_iovec iov[2];
	struct rump_stat sb;
	char buf[64], a[8], b[8];
	int fd, ro, wo, p[2];

	h_begin("26_vfs_positioned");
	H_BOOT();

	fd = rump_sys_open("/p", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	REQUIRE("open /p read-write", fd >= 0);
	CHECK_EQ("write 0123456789", rump_sys_write(fd, "0123456789", 10), 10);
	CHECK_EQ("pwrite AB at 3", rump_sys_pwrite(fd, "AB", 2, 3), 2);
	CHECK_EQ("the file offset stays at 10", rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 10);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread 4 at 2", rump_sys_pread(fd, buf, 4, 2), 4);
	CHECK_STR("... reads 2AB5", buf, "2AB5");
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread 10 at 8: the 2 bytes left", rump_sys_pread(fd, buf, 10, 8), 2);
	CHECK_STR("... reads 89", buf, "89");
	CHECK_EQ("pread at the end: 0", rump_sys_pread(fd, buf, 10, 10), 0);
	CHECK_EQ("pread past the end: 0", rump_sys_pread(fd, buf, 10, 1000), 0);
	CHECK_ERR("pread at offset -1: EINVAL", rump_sys_pread(fd, buf, 1, -1), RUMP_EINVAL);
	CHECK_ERR("pwrite at offset -1: EINVAL", rump_sys_pwrite(fd, "x", 1, -1), RUMP_EINVAL);
	CHECK_EQ("the offset is still 10", rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 10);

	/* vectors, and a hole */
	iov[0].base = "xy"; iov[0].len = 2;
	iov[1].base = "z"; iov[1].len = 1;
	CHECK_EQ("pwritev xy+z at 12", rump_sys_pwritev(fd, (void *)iov, 2, 12), 3);
	CHECK_EQ("fstat", rump_sys_fstat(fd, (struct stat *)(void *)&sb), 0);
	CHECK_EQ("the size is 15", sb.st_size, 15);
	memset(buf, 'q', sizeof(buf));
	CHECK_EQ("pread 5 at 10", rump_sys_pread(fd, buf, 5, 10), 5);
	CHECK_MEM("... the hole reads as zeros", buf, "\0\0xyz", 5);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	iov[0].base = a; iov[0].len = 3;
	iov[1].base = b; iov[1].len = 3;
	CHECK_EQ("preadv 3+3 at 0", rump_sys_preadv(fd, (void *)iov, 2, 0), 6);
	CHECK_STR("... first buffer 012", a, "012");
	CHECK_STR("... second buffer AB5", b, "AB5");
	CHECK_ERR("preadv with iovcnt -1: EINVAL", rump_sys_preadv(fd, (void *)iov, -1, 0), RUMP_EINVAL);
	CHECK_ERR("preadv with iovcnt 1025: EINVAL", rump_sys_preadv(fd, (void *)iov, 1025, 0), RUMP_EINVAL);
	CHECK_EQ("preadv with iovcnt 0: 0", rump_sys_preadv(fd, (void *)iov, 0, 0), 0);
	CHECK_EQ("the offset is still 10 after the vectors", rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 10);

	/* access modes and descriptors */
	ro = rump_sys_open("/p", RUMP_O_RDONLY);
	wo = rump_sys_open("/p", RUMP_O_WRONLY);
	REQUIRE("open /p read-only and write-only", ro >= 0 && wo >= 0);
	CHECK_ERR("pwrite on a read-only descriptor: EBADF", rump_sys_pwrite(ro, "x", 1, 0), RUMP_EBADF);
	CHECK_ERR("pread on a write-only descriptor: EBADF", rump_sys_pread(wo, buf, 1, 0), RUMP_EBADF);
	CHECK_ERR("pwritev on a read-only descriptor: EBADF",
	    rump_sys_pwritev(ro, (void *)iov, 1, 0), RUMP_EBADF);
	CHECK_ERR("pread on descriptor 99: EBADF", rump_sys_pread(99, buf, 1, 0), RUMP_EBADF);
	REQUIRE("pipe", rump_sys_pipe(p) == 0);
	CHECK_ERR("pread on a pipe: ESPIPE", rump_sys_pread(p[0], buf, 1, 0), RUMP_ESPIPE);
	CHECK_ERR("pwrite on a pipe: ESPIPE", rump_sys_pwrite(p[1], "x", 1, 0), RUMP_ESPIPE);
	rump_sys_close(p[0]);
	rump_sys_close(p[1]);
	rump_sys_close(ro);
	rump_sys_close(wo);

	/* O_APPEND: pwrite appends */
	rump_sys_close(fd);
	fd = rump_sys_open("/p", RUMP_O_RDWR | RUMP_O_APPEND);
	REQUIRE("open /p O_APPEND", fd >= 0);
	CHECK_EQ("pwrite Q at 0 under O_APPEND", rump_sys_pwrite(fd, "Q", 1, 0), 1);
	CHECK_EQ("fstat", rump_sys_fstat(fd, (struct stat *)(void *)&sb), 0);
	CHECK_EQ("the size grew to 16", sb.st_size, 16);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("pread 1 at 0", rump_sys_pread(fd, buf, 1, 0), 1);
	CHECK_STR("... byte 0 is still 0", buf, "0");
	CHECK_EQ("pread 1 at 15", rump_sys_pread(fd, buf, 1, 15), 1);
	CHECK_STR("... byte 15 is Q", buf, "Q");
	CHECK_EQ("the file offset stays 0", rump_sys_lseek(fd, 0, RUMP_SEEK_CUR), 0);
	rump_sys_close(fd);

	return h_end();
}
