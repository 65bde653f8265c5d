/* libs: -lrump -lrumpuser */
/*
 * 19_fd_core: descriptor tables of the kernel core, without any file system.
 *
 * pid 1 has fds 0, 1 and 2 open on the console, a write-only device
 * (NB_F_GETFL O_WRONLY, fstat S_IFCHR|0600) whose output goes to the host's
 * stdout.  close/dup/dup2/dup3/fcntl follow NetBSD's sys_descrip.c: the
 * lowest free descriptor is allocated, dup2(fd, fd) returns fd, NB_F_DUPFD
 * 0, NB_F_GETFD 1, NB_F_SETFD 2, NB_F_GETFL 3, NB_F_SETFL 4, NB_F_CLOSEM 10, NB_F_MAXFD 11,
 * NB_F_DUPFD_CLOEXEC 12; file status flags belong to the open file (shared by
 * dups and by copied tables), close-on-exec to the descriptor.  rfork
 * shares (0), copies (RUMP_RFFDG) or clears (RUMP_RFCFDG) the table.
 * RLIMIT_NOFILE bounds descriptor numbers: EMFILE for dup, EBADF for dup2,
 * EINVAL for NB_F_DUPFD.
 */
#include "../harness.h"

#define NB_F_DUPFD		0
#define NB_F_GETFD		1
#define NB_F_SETFD		2
#define NB_F_GETFL		3
#define NB_F_SETFL		4
#define NB_F_CLOSEM	10
#define NB_F_MAXFD		11
#define NB_F_DUPFD_CLOEXEC	12
#define NB_FD_CLOEXEC	1

static int
fcntl3(int fd, int cmd, long arg)
{
	return rump_sys_fcntl(fd, cmd, (void *)(intptr_t)arg);
}

static int
sub_main(const char *mode)
{
	char buf[4];

	if (rump_init() != 0)
		return 3;
	if (strcmp(mode, "console") == 0) {
		H_REPORT_CALL("write1", rump_sys_write(1, "hello console\n", 14));
		H_REPORT_CALL("write2", rump_sys_write(2, "to fd two\n", 10));
		H_REPORT_CALL("write0", rump_sys_write(0, "fd zero\n", 8));
		H_REPORT_CALL("writenull", rump_sys_write(1, NULL, 5));
		H_REPORT_CALL("writebad", rump_sys_write(7, "x", 1));
		H_REPORT_CALL("writeempty", rump_sys_write(1, "x", 0));
		H_REPORT_CALL("read0", rump_sys_read(0, buf, 1));
		/* a child with a copy of the table writes to the same console */
		if (rump_pub_lwproc_rfork(RUMP_RFFDG) == 0)
			H_REPORT_CALL("childwrite",
			    rump_sys_write(1, "from the child\n", 15));
		return 0;
	}
	return 2;
}

static int
is_closed(int fd)
{
	return fcntl3(fd, NB_F_GETFD, 0) == -1 && errno == RUMP_EBADF;
}

int
main(int argc, char **argv)
{
	static struct h_sub r;
	struct rump_stat st;
	struct rump_rlimit rl;
	struct lwp *a, *c, *d;
	int fd;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);
	h_begin("19_fd_core");
	H_BOOT();

	/* ---- pid 1's console descriptors ---- */
	for (fd = 0; fd < 3; fd++) {
		CHECK_EQ(H_WHAT("pid 1: F_GETFL(%d) is O_WRONLY (the console)", fd),
		    fcntl3(fd, NB_F_GETFL, 0), RUMP_O_WRONLY);
		CHECK_EQ(H_WHAT("pid 1: F_GETFD(%d) is 0", fd), fcntl3(fd, NB_F_GETFD, 0),
		    0);
	}
	CHECK_TRUE("pid 1: fd 3 is not open", is_closed(3));
	memset(&st, 0xa5, sizeof(st));
	CHECK_EQ("fstat(1) returns 0", rump_sys_fstat(1, (void *)&st), 0);
	CHECK_EQ("... st_mode is S_IFCHR|0600", st.st_mode, RUMP_S_IFCHR | 0600);
	CHECK_ERR("fstat(7) fails with EBADF", rump_sys_fstat(7, (void *)&st),
	    RUMP_EBADF);
	CHECK_ERR("fstat(1, NULL) fails with EFAULT", rump_sys_fstat(1, NULL),
	    RUMP_EFAULT);

	/* ---- console output, in a fresh process ---- */
	h_run_sub("console", NULL, 20, &r);
	CHECK_SUB_EXIT("console sub-process exits 0", &r, 0);
	h_check_sub_val("write(1, 14 bytes) returns 14", &r, "write1", 14, H_ANY);
	CHECK_CONTAINS("... and they appear on the host's stdout", r.out,
	    "hello console\n");
	h_check_sub_val("write(2, 10 bytes) returns 10", &r, "write2", 10, H_ANY);
	CHECK_CONTAINS("... fd 2 is the same console: host stdout", r.out,
	    "to fd two\n");
	h_check_sub_val("write(0, 8 bytes) returns 8 (fd 0 is the console too)", &r,
	    "write0", 8, H_ANY);
	h_check_sub_val("write(1, NULL, 5) fails with EFAULT", &r, "writenull", -1,
	    RUMP_EFAULT);
	h_check_sub_val("write(7, ...) (not open) fails with EBADF", &r, "writebad",
	    -1, RUMP_EBADF);
	h_check_sub_val("write(1, buf, 0) returns 0", &r, "writeempty", 0, H_ANY);
	h_check_sub_val("read(0) from the write-only console fails with EBADF", &r,
	    "read0", -1, RUMP_EBADF);
	h_check_sub_val("an RFFDG child writes to the console: 15", &r, "childwrite",
	    15, H_ANY);
	CHECK_CONTAINS("... and it appears on the host's stdout", r.out,
	    "from the child\n");

	/* ---- dup, dup2, dup3, close in a child with a copied table ---- */
	REQUIRE("rfork(RUMP_RFFDG) returns 0", rump_pub_lwproc_rfork(RUMP_RFFDG) == 0);
	a = rump_pub_lwproc_curlwp();
	CHECK_EQ("the copy has fd 1: F_GETFL(1) is O_WRONLY", fcntl3(1, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);
	CHECK_EQ("dup(1) returns 3 (the lowest free)", rump_sys_dup(1), 3);
	CHECK_EQ("... F_GETFL(3) is O_WRONLY", fcntl3(3, NB_F_GETFL, 0), RUMP_O_WRONLY);
	CHECK_EQ("... F_GETFD(3) is 0 (dup clears close-on-exec)",
	    fcntl3(3, NB_F_GETFD, 0), 0);
	CHECK_EQ("close(3) returns 0", rump_sys_close(3), 0);
	CHECK_ERR("close(3) again fails with EBADF", rump_sys_close(3), RUMP_EBADF);
	CHECK_ERR("close(-1) fails with EBADF", rump_sys_close(-1), RUMP_EBADF);
	CHECK_ERR("close(99999) fails with EBADF", rump_sys_close(99999), RUMP_EBADF);
	CHECK_ERR("dup(3) (closed) fails with EBADF", rump_sys_dup(3), RUMP_EBADF);
	CHECK_ERR("dup(-1) fails with EBADF", rump_sys_dup(-1), RUMP_EBADF);

	CHECK_EQ("dup2(1, 10) returns 10", rump_sys_dup2(1, 10), 10);
	CHECK_EQ("... F_GETFL(10) is O_WRONLY", fcntl3(10, NB_F_GETFL, 0), RUMP_O_WRONLY);
	CHECK_TRUE("... fds 3..9 stay closed", is_closed(3) && is_closed(9));
	CHECK_EQ("dup2(1, 1) returns 1", rump_sys_dup2(1, 1), 1);
	CHECK_EQ("dup2(2, 10) (replacing an open fd) returns 10", rump_sys_dup2(2, 10),
	    10);
	CHECK_ERR("dup2(3, 5) (closed source) fails with EBADF", rump_sys_dup2(3, 5),
	    RUMP_EBADF);
	CHECK_TRUE("... and fd 5 stays closed", is_closed(5));
	CHECK_ERR("dup2(1, -1) fails with EBADF", rump_sys_dup2(1, -1), RUMP_EBADF);
	CHECK_EQ("dup3(1, 11, O_CLOEXEC) returns 11",
	    rump_sys_dup3(1, 11, RUMP_O_CLOEXEC), 11);
	CHECK_EQ("... F_GETFD(11) is FD_CLOEXEC", fcntl3(11, NB_F_GETFD, 0), NB_FD_CLOEXEC);
	CHECK_EQ("dup3(1, 12, 0) returns 12", rump_sys_dup3(1, 12, 0), 12);
	CHECK_EQ("... F_GETFD(12) is 0", fcntl3(12, NB_F_GETFD, 0), 0);

	/* ---- fcntl ---- */
	CHECK_EQ("F_SETFD(10, FD_CLOEXEC) returns 0", fcntl3(10, NB_F_SETFD, NB_FD_CLOEXEC),
	    0);
	CHECK_EQ("... F_GETFD(10) is 1", fcntl3(10, NB_F_GETFD, 0), NB_FD_CLOEXEC);
	CHECK_EQ("... F_GETFD(1) (same file) stays 0", fcntl3(1, NB_F_GETFD, 0), 0);
	CHECK_EQ("F_SETFD(10, 0) returns 0", fcntl3(10, NB_F_SETFD, 0), 0);
	CHECK_EQ("... F_GETFD(10) is 0", fcntl3(10, NB_F_GETFD, 0), 0);
	CHECK_EQ("F_DUPFD(1, 20) returns 20", fcntl3(1, NB_F_DUPFD, 20), 20);
	CHECK_EQ("F_DUPFD(1, 20) again returns 21", fcntl3(1, NB_F_DUPFD, 20), 21);
	CHECK_EQ("F_DUPFD_CLOEXEC(1, 0) returns the lowest free, 3",
	    fcntl3(1, NB_F_DUPFD_CLOEXEC, 0), 3);
	CHECK_EQ("... with FD_CLOEXEC set", fcntl3(3, NB_F_GETFD, 0), NB_FD_CLOEXEC);
	CHECK_EQ("F_DUPFD(1, 0) returns 4", fcntl3(1, NB_F_DUPFD, 0), 4);
	CHECK_EQ("... with FD_CLOEXEC clear", fcntl3(4, NB_F_GETFD, 0), 0);
	CHECK_ERR("F_DUPFD(1, -1) fails with EINVAL", fcntl3(1, NB_F_DUPFD, -1),
	    RUMP_EINVAL);
	CHECK_ERR("F_GETFD(8) (not open) fails with EBADF", fcntl3(8, NB_F_GETFD, 0),
	    RUMP_EBADF);
	CHECK_ERR("fcntl(1, 9999) fails with EINVAL", fcntl3(1, 9999, 0), RUMP_EINVAL);
	CHECK_EQ("F_MAXFD is the highest open fd, 21", fcntl3(0, NB_F_MAXFD, 0), 21);

	CHECK_EQ("F_SETFL(1, O_APPEND) returns 0", fcntl3(1, NB_F_SETFL, RUMP_O_APPEND),
	    0);
	CHECK_EQ("... F_GETFL(1) is O_WRONLY|O_APPEND", fcntl3(1, NB_F_GETFL, 0),
	    RUMP_O_WRONLY | RUMP_O_APPEND);
	CHECK_EQ("... shared by its dup: F_GETFL(20) is O_WRONLY|O_APPEND",
	    fcntl3(20, NB_F_GETFL, 0), RUMP_O_WRONLY | RUMP_O_APPEND);
	CHECK_EQ("F_SETFL(1, 0) returns 0", fcntl3(1, NB_F_SETFL, 0), 0);
	CHECK_EQ("... F_GETFL(20) is O_WRONLY again", fcntl3(20, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);
	CHECK_ERR("F_SETFL(1, O_NONBLOCK) on the console fails with ENOTTY "
	    "(it has no FIONBIO)", fcntl3(1, NB_F_SETFL, RUMP_O_NONBLOCK), RUMP_ENOTTY);
	CHECK_EQ("... F_GETFL(1) stays O_WRONLY", fcntl3(1, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);
	CHECK_EQ("F_SETFL cannot change the access mode: F_SETFL(1, O_RDWR) "
	    "returns 0", fcntl3(1, NB_F_SETFL, RUMP_O_RDWR), 0);
	CHECK_EQ("... F_GETFL(1) stays O_WRONLY", fcntl3(1, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);

	/* ---- lowest free descriptor ---- */
	CHECK_EQ("close(0) returns 0", rump_sys_close(0), 0);
	CHECK_EQ("dup(2) now returns 0", rump_sys_dup(2), 0);
	CHECK_EQ("close(4) and close(3) return 0",
	    rump_sys_close(4) + rump_sys_close(3), 0);
	CHECK_EQ("dup(2) returns 3", rump_sys_dup(2), 3);
	CHECK_EQ("dup(2) returns 4", rump_sys_dup(2), 4);
	CHECK_EQ("dup(2) returns 5 (10 and up are taken, 5..9 free)",
	    rump_sys_dup(2), 5);

	/* ---- sharing: rfork(0) ---- */
	REQUIRE("rfork(0) (share the table) returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFFD_SHARE) == 0);
	c = rump_pub_lwproc_curlwp();
	CHECK_EQ("the sharing child sees fd 21", fcntl3(21, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);
	CHECK_EQ("the sharing child closes fd 21", rump_sys_close(21), 0);
	CHECK_EQ("the sharing child's dup(1) returns 6", rump_sys_dup(1), 6);
	rump_pub_lwproc_switch(a);
	CHECK_TRUE("... fd 21 is closed in the parent too", is_closed(21));
	CHECK_EQ("... and fd 6 is open in the parent", fcntl3(6, NB_F_GETFL, 0),
	    RUMP_O_WRONLY);

	/* ---- copying: rfork(RUMP_RFFDG) ---- */
	REQUIRE("rfork(RUMP_RFFDG) (copy the table) returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFFDG) == 0);
	d = rump_pub_lwproc_curlwp();
	CHECK_EQ("the copy has fd 20", fcntl3(20, NB_F_GETFL, 0), RUMP_O_WRONLY);
	CHECK_EQ("... and fd 11 with its FD_CLOEXEC", fcntl3(11, NB_F_GETFD, 0),
	    NB_FD_CLOEXEC);
	CHECK_EQ("the copy closes fd 20", rump_sys_close(20), 0);
	CHECK_EQ("the copy's dup(1) returns 7", rump_sys_dup(1), 7);
	CHECK_EQ("the copy sets O_APPEND on fd 1 (a shared open file)",
	    fcntl3(1, NB_F_SETFL, RUMP_O_APPEND), 0);
	rump_pub_lwproc_switch(a);
	CHECK_EQ("... fd 20 is still open in the parent", fcntl3(20, NB_F_GETFD, 0), 0);
	CHECK_TRUE("... fd 7 is not open in the parent", is_closed(7));
	CHECK_EQ("... the open file's O_APPEND shows in the parent",
	    fcntl3(1, NB_F_GETFL, 0), RUMP_O_WRONLY | RUMP_O_APPEND);
	CHECK_EQ("the parent clears O_APPEND", fcntl3(1, NB_F_SETFL, 0), 0);

	/* ---- NB_F_CLOSEM ---- */
	CHECK_EQ("F_CLOSEM(10) returns 0", fcntl3(10, NB_F_CLOSEM, 0), 0);
	CHECK_TRUE("... fds 10, 11, 12 and 20 are closed",
	    is_closed(10) && is_closed(11) && is_closed(12) && is_closed(20));
	CHECK_EQ("... fd 6 stays open", fcntl3(6, NB_F_GETFD, 0), 0);
	CHECK_EQ("... F_MAXFD is now 6", fcntl3(0, NB_F_MAXFD, 0), 6);

	/* ---- clearing: rfork(RUMP_RFCFDG) ---- */
	REQUIRE("rfork(RUMP_RFCFDG) (an empty table) returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFCFDG) == 0);
	CHECK_ERR("close(0) in the RFCFDG child fails with EBADF", rump_sys_close(0),
	    RUMP_EBADF);
	CHECK_ERR("close(1) fails with EBADF", rump_sys_close(1), RUMP_EBADF);
	CHECK_ERR("close(2) fails with EBADF", rump_sys_close(2), RUMP_EBADF);
	CHECK_ERR("dup(1) fails with EBADF", rump_sys_dup(1), RUMP_EBADF);
	CHECK_ERR("write(1) fails with EBADF", rump_sys_write(1, "x", 1), RUMP_EBADF);
	CHECK_ERR("F_GETFL(2) fails with EBADF", fcntl3(2, NB_F_GETFL, 0), RUMP_EBADF);
	rump_pub_lwproc_releaselwp();

	/* ---- RLIMIT_NOFILE ---- */
	rump_pub_lwproc_switch(NULL);
	REQUIRE("rfork(RUMP_RFFDG) for the limit child returns 0",
	    rump_pub_lwproc_rfork(RUMP_RFFDG) == 0);
	rl.rlim_cur = 5;
	rl.rlim_max = 5;
	CHECK_EQ("setrlimit(RLIMIT_NOFILE, {5, 5}) returns 0",
	    rump_sys_setrlimit(RUMP_RLIMIT_NOFILE, (void *)&rl), 0);
	CHECK_EQ("dup(1) returns 3", rump_sys_dup(1), 3);
	CHECK_EQ("dup(1) returns 4", rump_sys_dup(1), 4);
	CHECK_ERR("dup(1) with fds 0-4 open fails with EMFILE (24)", rump_sys_dup(1),
	    RUMP_EMFILE);
	CHECK_ERR("dup2(1, 5) (at the limit) fails with EBADF", rump_sys_dup2(1, 5),
	    RUMP_EBADF);
	CHECK_ERR("F_DUPFD(1, 5) fails with EINVAL", fcntl3(1, NB_F_DUPFD, 5),
	    RUMP_EINVAL);
	CHECK_ERR("F_DUPFD(1, 4) (nothing free from 4) fails with EMFILE",
	    fcntl3(1, NB_F_DUPFD, 4), RUMP_EMFILE);
	CHECK_EQ("close(4) returns 0", rump_sys_close(4), 0);
	CHECK_EQ("F_DUPFD(1, 4) now returns 4", fcntl3(1, NB_F_DUPFD, 4), 4);
	rump_pub_lwproc_releaselwp();

	/* ---- pid 1 was never touched ---- */
	for (fd = 0; fd < 3; fd++)
		CHECK_EQ(H_WHAT("pid 1: F_GETFL(%d) is still O_WRONLY", fd),
		    fcntl3(fd, NB_F_GETFL, 0), RUMP_O_WRONLY);
	CHECK_TRUE("pid 1: the children's fds 3..21 never appeared",
	    is_closed(3) && is_closed(6) && is_closed(10) && is_closed(20));

	rump_pub_lwproc_switch(d);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(c);
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(a);
	rump_pub_lwproc_releaselwp();
	CHECK_EQ("all children released: getpid() is 1", rump_sys_getpid(), 1);

	return h_end();
}
