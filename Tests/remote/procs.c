/*
 * procs: each client connection is a rump process of its own.
 *
 *   - two clients have different pids (>= 2), both children of pid 1;
 *   - a descriptor one client opens does not exist in another (EBADF 9);
 *   - a client that disconnects leaves no process behind (kill(pid, 0)
 *     from another client gives ESRCH 3), while it is connected kill
 *     gives 0;
 *   - rumpclient_fork(): the child is a new rump process whose parent is
 *     the forking one, and it shares the parent's open descriptors;
 *   - rumpclient_exec(): the new image is the same rump process with the
 *     same descriptors, except the close-on-exec ones (EBADF 9).
 *
 * usage: procs                       (the test)
 *        procs --exec FD CLOEXEC-FD PID PPID   (the image exec'd by the test)
 */
#include "remote.h"

/* How long a disconnected client's process may take to go away. */
#define GONE_TIMEOUT_S	10

/* Wait until kill(pid, 0) fails; returns its errno (0: still there). */
static int
wait_gone(pid_t pid)
{
	double deadline = h_mono() + GONE_TIMEOUT_S;

	for (;;) {
		errno = 0;
		if (rump_sys_kill(pid, 0) == -1)
			return errno;
		if (h_mono() > deadline)
			return 0;
		usleep(10000);
	}
}

/* The image rumpclient_exec() starts: same rump process, same descriptors. */
static int
exec_image(char **argv)
{
	int fd = atoi(argv[2]), cefd = atoi(argv[3]);
	pid_t pid = atoi(argv[4]), ppid = atoi(argv[5]);
	struct rump_stat sb;
	int before = h_nfail;

	h_begin("remote-procs(exec)");
	R_CONNECT();
	CHECK_EQ("after exec the rump pid is unchanged", rump_sys_getpid(), pid);
	CHECK_EQ("after exec the parent is unchanged", rump_sys_getppid(), ppid);
	CHECK_EQ("after exec the open descriptor is still there",
	    r_fstat(fd, &sb), 0);
	CHECK_EQ("... and writable", rump_sys_pwrite(fd, "after exec", 10, 20),
	    10);
	CHECK_ERR("a close-on-exec descriptor is closed: EBADF (9)",
	    r_fstat(cefd, &sb), 9);
	return h_nfail > before ? 1 : 0;
}

/* A second client in a host process of its own (forked before connecting). */
struct other {
	pid_t host_pid;
	int to[2], from[2];	/* commands to it, reports from it */
};

static void
other_start(struct other *o)
{
	int report[3], fd;
	char cmd;

	if (pipe(o->to) != 0 || pipe(o->from) != 0) {
		perror("pipe");
		exit(2);
	}
	fflush(stdout);
	o->host_pid = fork();
	if (o->host_pid != 0)
		return;
	close(o->to[1]);
	close(o->from[0]);
	memset(report, 0xff, sizeof(report));
	if (rumpclient_init() == 0) {
		report[0] = rump_sys_getpid();
		report[1] = rump_sys_getppid();
		fd = rump_sys_open("/dev/null", RUMP_O_RDONLY);
		/* A number the other client has not opened. */
		report[2] = fd >= 0 ? rump_sys_dup2(fd, 100) : -1;
	}
	r_writen(o->from[1], report, sizeof(report));
	/* Stay connected until told to go; exiting disconnects. */
	if (r_readn(o->to[0], &cmd, 1) != 0)
		_exit(3);
	_exit(0);
}

int
main(int argc, char **argv)
{
	char self[4096], path[128], buf[64], fdstr[16], cefdstr[16];
	char pidstr[16], ppidstr[16];
	struct rump_stat sb;
	struct other o;
	pid_t me, child, childpid;
	int report[3], fd, cefd, status, p[2];
	const char *how;
	ssize_t sl;

	if (argc == 6 && strcmp(argv[1], "--exec") == 0)
		return exec_image(argv);

	h_begin("remote-procs");
	sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	REQUIRE("readlink /proc/self/exe", sl > 0);
	self[sl] = '\0';

	/* The second client must fork before this process connects. */
	other_start(&o);
	R_CONNECT();
	me = rump_sys_getpid();
	CHECK_GE("getpid of a client is >= 2", me, 2);
	CHECK_EQ("getppid of a client is 1", rump_sys_getppid(), 1);
	CHECK_EQ("the console is on descriptor 0", r_fstat(0, &sb), 0);
	CHECK_ERR("descriptor 3 is not open in a new client: EBADF (9)",
	    r_fstat(3, &sb), 9);

	REQUIRE("the other client reports", r_readn(o.from[0], report,
	    sizeof(report)) == 0);
	CHECK_GE("the other client's pid is >= 2", report[0], 2);
	CHECK_TRUE("the two clients have different pids", report[0] != me);
	CHECK_EQ("the other client's parent is 1", report[1], 1);
	CHECK_EQ("the other client opened descriptor 100", report[2], 100);
	CHECK_ERR("descriptor 100 is not open here: EBADF (9)",
	    r_fstat(100, &sb), 9);
	CHECK_EQ("kill(other, 0) while it is connected gives 0",
	    rump_sys_kill(report[0], 0), 0);
	CHECK_EQ("the other client disconnects",
	    (r_writen(o.to[1], "x", 1), r_wait(o.host_pid, &how)), 0);
	CHECK_EQ("then its process is gone: kill(pid, 0) gives ESRCH (3)",
	    wait_gone(report[0]), 3);

	/* rumpclient_fork: a new rump process sharing our descriptors */
	snprintf(path, sizeof(path), "/tmp/procs.%d", (int)getpid());
	fd = rump_sys_open(path, RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_TRUNC, 0644);
	REQUIRE("open a file to share", fd >= 3);
	REQUIRE("pipe", pipe(p) == 0);
	fflush(stdout);
	child = rumpclient_fork();
	if (child == 0) {
		int before = h_nfail;
		pid_t mine = rump_sys_getpid();

		h_case = "remote-procs(fork child)";
		close(p[0]);
		r_writen(p[1], &mine, sizeof(mine));
		CHECK_TRUE("the fork child has a pid of its own",
		    mine != me && mine >= 2);
		CHECK_EQ("the fork child's parent is the forking process",
		    rump_sys_getppid(), me);
		CHECK_EQ("the fork child has the parent's descriptor",
		    r_fstat(fd, &sb), 0);
		CHECK_EQ("the fork child writes through it",
		    rump_sys_pwrite(fd, "from child", 10, 0), 10);
		fflush(stdout);
		_exit(h_nfail > before ? 1 : 0);
	}
	close(p[1]);
	REQUIRE("rumpclient_fork returns the host child's pid", child > 0);
	childpid = -1;
	CHECK_EQ("the fork child reports its rump pid",
	    r_readn(p[0], &childpid, sizeof(childpid)), 0);
	close(p[0]);
	CHECK_EQ("the fork child's checks pass", r_wait(child, &how), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("the parent reads what the child wrote",
	    rump_sys_pread(fd, buf, 10, 0), 10);
	CHECK_STR("... \"from child\"", buf, "from child");
	CHECK_EQ("the exited fork child's process is gone: ESRCH (3)",
	    wait_gone(childpid), 3);

	/* rumpclient_exec in a fork child: same rump process, same files */
	cefd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_CLOEXEC);
	REQUIRE("open a close-on-exec descriptor", cefd >= 3);
	fflush(stdout);
	child = rumpclient_fork();
	if (child == 0) {
		char *args[] = { self, "--exec", fdstr, cefdstr, pidstr,
		    ppidstr, NULL };
		extern char **environ;

		snprintf(fdstr, sizeof(fdstr), "%d", fd);
		snprintf(cefdstr, sizeof(cefdstr), "%d", cefd);
		snprintf(pidstr, sizeof(pidstr), "%d", (int)rump_sys_getpid());
		snprintf(ppidstr, sizeof(ppidstr), "%d", (int)me);
		rumpclient_exec(self, args, environ);
		printf("not ok - remote-procs: rumpclient_exec failed "
		    "(errno %d)\n", errno);
		fflush(stdout);
		_exit(1);
	}
	REQUIRE("rumpclient_fork for exec", child > 0);
	status = r_wait(child, &how);
	CHECK_EQ("the exec'd image's checks pass", status, 0);
	memset(buf, 0, sizeof(buf));
	CHECK_EQ("the parent reads what the exec'd image wrote",
	    rump_sys_pread(fd, buf, 10, 20), 10);
	CHECK_STR("... \"after exec\"", buf, "after exec");
	CHECK_EQ("the close-on-exec descriptor is still open in the parent",
	    r_fstat(cefd, &sb), 0);

	rump_sys_close(cefd);
	rump_sys_close(fd);
	CHECK_EQ("unlink the shared file", rump_sys_unlink(path), 0);
	return h_end();
}
