/*
 * rumpctl: look into and change a rump kernel served by rump_server.
 *
 *   rumpctl ls [-l] [PATH]      names in a directory (-l: mode, size)
 *   rumpctl cat PATH            a file's bytes on stdout
 *   rumpctl mkdir PATH
 *   rumpctl put HOSTFILE PATH   copy a host file in ("-": stdin)
 *   rumpctl get PATH HOSTFILE   copy a file out ("-": stdout)
 *   rumpctl rm PATH             remove a file or an empty directory
 *   rumpctl stat PATH           the fields of NetBSD's struct stat
 *   rumpctl ps                  the kernel's processes
 *   rumpctl halt                halt the kernel (and the server)
 *
 * The kernel is the one $RUMP_SERVER names (unix://path or
 * tcp://a.b.c.d:port).  Every call goes through librumpclient, so errno
 * after a failed rump_sys_* call is a NetBSD number: it is translated to
 * the host's before printing.  Errors are "rumpctl: PATH: message", exit 1.
 */

#define _GNU_SOURCE 1

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>
#include <rump/rumperrno2host.h>

#define COPYBUF	(64 * 1024)

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: rumpctl ls [-l] [PATH]\n"
	    "       rumpctl cat PATH\n"
	    "       rumpctl mkdir PATH\n"
	    "       rumpctl put HOSTFILE PATH\n"
	    "       rumpctl get PATH HOSTFILE\n"
	    "       rumpctl rm PATH\n"
	    "       rumpctl stat PATH\n"
	    "       rumpctl ps\n"
	    "       rumpctl halt\n"
	    "The kernel is the one RUMP_SERVER names (unix://path, "
	    "tcp://a.b.c.d:port).\n");
	exit(1);
}

/* A failed rump call: errno holds a NetBSD number. */
static void __attribute__((noreturn))
rump_fail(const char *what)
{
	int e = errno;

	fprintf(stderr, "rumpctl: %s: %s\n", what, strerror(rump_errno2host(e)));
	exit(1);
}

/* A failed host call: errno is the host's. */
static void __attribute__((noreturn))
host_fail(const char *what)
{
	fprintf(stderr, "rumpctl: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Write all of buf to a rump descriptor. */
static void
rump_write_all(int fd, const char *buf, size_t n, const char *what)
{
	while (n > 0) {
		ssize_t w = rump_sys_write(fd, buf, n);

		if (w < 0)
			rump_fail(what);
		if (w == 0) {
			errno = RUMP_EIO;
			rump_fail(what);
		}
		buf += w;
		n -= (size_t)w;
	}
}

/* Write all of buf to a host descriptor. */
static void
host_write_all(int fd, const char *buf, size_t n, const char *what)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			host_fail(what);
		}
		buf += w;
		n -= (size_t)w;
	}
}

/* Copy a rump file to a host descriptor. */
static void
copy_out(const char *path, int hostfd, const char *hostname)
{
	static char buf[COPYBUF];
	int fd = rump_sys_open(path, RUMP_O_RDONLY);
	ssize_t n;

	if (fd < 0)
		rump_fail(path);
	while ((n = rump_sys_read(fd, buf, sizeof(buf))) > 0)
		host_write_all(hostfd, buf, (size_t)n, hostname);
	if (n < 0)
		rump_fail(path);
	rump_sys_close(fd);
}

static int
cmd_cat(int argc, char **argv)
{
	if (argc != 2)
		usage();
	copy_out(argv[1], STDOUT_FILENO, "stdout");
	return 0;
}

static int
cmd_get(int argc, char **argv)
{
	int hostfd;

	if (argc != 3)
		usage();
	if (strcmp(argv[2], "-") == 0) {
		hostfd = STDOUT_FILENO;
	} else {
		hostfd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (hostfd < 0)
			host_fail(argv[2]);
	}
	copy_out(argv[1], hostfd, argv[2]);
	if (hostfd != STDOUT_FILENO && close(hostfd) != 0)
		host_fail(argv[2]);
	return 0;
}

static int
cmd_put(int argc, char **argv)
{
	static char buf[COPYBUF];
	int hostfd, fd;
	ssize_t n;

	if (argc != 3)
		usage();
	if (strcmp(argv[1], "-") == 0) {
		hostfd = STDIN_FILENO;
	} else {
		hostfd = open(argv[1], O_RDONLY);
		if (hostfd < 0)
			host_fail(argv[1]);
	}
	fd = rump_sys_open(argv[2], RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_TRUNC,
	    0644);
	if (fd < 0)
		rump_fail(argv[2]);
	for (;;) {
		n = read(hostfd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			host_fail(argv[1]);
		if (n == 0)
			break;
		rump_write_all(fd, buf, (size_t)n, argv[2]);
	}
	if (rump_sys_close(fd) != 0)
		rump_fail(argv[2]);
	return 0;
}

static int
cmd_mkdir(int argc, char **argv)
{
	if (argc != 2)
		usage();
	if (rump_sys_mkdir(argv[1], 0777) != 0)
		rump_fail(argv[1]);
	return 0;
}

static int
cmd_rm(int argc, char **argv)
{
	struct rump_stat sb;

	if (argc != 2)
		usage();
	if (rump_sys_lstat(argv[1], (struct stat *)&sb) != 0)
		rump_fail(argv[1]);
	if (RUMP_S_ISDIR(sb.st_mode)) {
		if (rump_sys_rmdir(argv[1]) != 0)
			rump_fail(argv[1]);
	} else if (rump_sys_unlink(argv[1]) != 0) {
		rump_fail(argv[1]);
	}
	return 0;
}

/* "drwxr-xr-x" and the like, from a NetBSD mode. */
static void
mode_string(uint32_t mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFDIR: out[0] = 'd'; break;
	case RUMP_S_IFCHR: out[0] = 'c'; break;
	case RUMP_S_IFBLK: out[0] = 'b'; break;
	case RUMP_S_IFLNK: out[0] = 'l'; break;
	case RUMP_S_IFIFO: out[0] = 'p'; break;
	case RUMP_S_IFSOCK: out[0] = 's'; break;
	case RUMP_S_IFWHT: out[0] = 'w'; break;
	default: out[0] = '-'; break;
	}
	for (i = 0; i < 9; i++)
		out[1 + i] = (mode & (0400u >> i)) ? rwx[i] : '-';
	if (mode & 04000)
		out[3] = (mode & 0100) ? 's' : 'S';
	if (mode & 02000)
		out[6] = (mode & 010) ? 's' : 'S';
	if (mode & 01000)
		out[9] = (mode & 01) ? 't' : 'T';
	out[10] = '\0';
}

static const char *
type_name(uint32_t mode)
{
	switch (mode & RUMP_S_IFMT) {
	case RUMP_S_IFREG: return "regular file";
	case RUMP_S_IFDIR: return "directory";
	case RUMP_S_IFCHR: return "character device";
	case RUMP_S_IFBLK: return "block device";
	case RUMP_S_IFLNK: return "symbolic link";
	case RUMP_S_IFIFO: return "fifo";
	case RUMP_S_IFSOCK: return "socket";
	case RUMP_S_IFWHT: return "whiteout";
	default: return "unknown";
	}
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_ls(int argc, char **argv)
{
	static char buf[COPYBUF];
	const char *dir = "/";
	char **names = NULL;
	size_t nnames = 0, i;
	int longform = 0, fd, n, ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "l")) != -1) {
		if (ch != 'l')
			usage();
		longform = 1;
	}
	if (argc - optind > 1)
		usage();
	if (argc - optind == 1)
		dir = argv[optind];

	fd = rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		rump_fail(dir);
	/* getdents fills NetBSD struct dirent records, each d_reclen long. */
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		int off = 0;

		while (off < n) {
			const struct rump_dirent *d =
			    (const struct rump_dirent *)(buf + off);
			char *name;

			if (d->d_reclen == 0 ||
			    d->d_reclen > (unsigned)(n - off)) {
				fprintf(stderr, "rumpctl: %s: malformed "
				    "directory entry at offset %d\n", dir, off);
				exit(1);
			}
			off += d->d_reclen;
			if ((d->d_namlen == 1 && d->d_name[0] == '.') ||
			    (d->d_namlen == 2 && d->d_name[0] == '.' &&
			    d->d_name[1] == '.'))
				continue;
			name = strndup(d->d_name, d->d_namlen);
			names = realloc(names, (nnames + 1) * sizeof(*names));
			if (name == NULL || names == NULL)
				host_fail("out of memory");
			names[nnames++] = name;
		}
	}
	if (n < 0)
		rump_fail(dir);
	rump_sys_close(fd);

	qsort(names, nnames, sizeof(*names), compare_names);
	for (i = 0; i < nnames; i++) {
		if (longform) {
			struct rump_stat sb;
			char path[2048], mode[11];
			size_t dl = strlen(dir);

			snprintf(path, sizeof(path), "%s%s%s", dir,
			    dl > 0 && dir[dl - 1] == '/' ? "" : "/", names[i]);
			if (rump_sys_lstat(path, (struct stat *)&sb) != 0)
				rump_fail(path);
			mode_string(sb.st_mode, mode);
			printf("%s %10lld %s\n", mode, (long long)sb.st_size,
			    names[i]);
		} else {
			printf("%s\n", names[i]);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static void
print_time(const char *label, const struct rump_timespec *ts)
{
	char when[64] = "";
	time_t t = (time_t)ts->tv_sec;
	struct tm tm;

	if (gmtime_r(&t, &tm) != NULL)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%-9s %lld.%09ld (%s)\n", label, (long long)ts->tv_sec,
	    (long)ts->tv_nsec, when);
}

static int
cmd_stat(int argc, char **argv)
{
	struct rump_stat sb;
	char mode[11];

	if (argc != 2)
		usage();
	if (rump_sys_lstat(argv[1], (struct stat *)&sb) != 0)
		rump_fail(argv[1]);
	mode_string(sb.st_mode, mode);
	printf("path:     %s\n", argv[1]);
	printf("type:     %s\n", type_name(sb.st_mode));
	printf("dev:      0x%llx\n", (unsigned long long)sb.st_dev);
	printf("ino:      %llu\n", (unsigned long long)sb.st_ino);
	printf("mode:     0%o (%s)\n", sb.st_mode, mode);
	printf("nlink:    %u\n", sb.st_nlink);
	printf("uid:      %u\n", sb.st_uid);
	printf("gid:      %u\n", sb.st_gid);
	printf("rdev:     0x%llx\n", (unsigned long long)sb.st_rdev);
	printf("size:     %lld\n", (long long)sb.st_size);
	printf("blocks:   %lld\n", (long long)sb.st_blocks);
	printf("blksize:  %d\n", sb.st_blksize);
	printf("flags:    0x%x\n", sb.st_flags);
	printf("gen:      %u\n", sb.st_gen);
	print_time("atime:", &sb.st_atim);
	print_time("mtime:", &sb.st_mtim);
	print_time("ctime:", &sb.st_ctim);
	print_time("birthtime:", &sb.st_birthtim);
	return 0;
}

static int
compare_pids(const void *a, const void *b)
{
	const struct rump_kinfo_proc2 *x = a, *y = b;

	return (x->p_pid > y->p_pid) - (x->p_pid < y->p_pid);
}

static int
cmd_ps(int argc, char **argv)
{
	/*
	 * kern.proc2.all: the element size is part of the name, so the kernel
	 * fills NetBSD's struct kinfo_proc2 as far as this program knows it.
	 */
	int mib[6] = { RUMP_CTL_KERN, RUMP_KERN_PROC2, RUMP_KERN_PROC_ALL, 0,
	    (int)sizeof(struct rump_kinfo_proc2), 0 };
	struct rump_kinfo_proc2 *procs = NULL;
	size_t len = 0, n, i;
	int tries;

	(void)argv;
	if (argc != 1)
		usage();
	/* Processes come and go between sizing and fetching: retry with room. */
	for (tries = 0;; tries++) {
		mib[5] = 0;
		if (rump_sys___sysctl(mib, 6, NULL, &len, NULL, 0) != 0)
			rump_fail("kern.proc2");
		n = len / sizeof(*procs) + 8;
		procs = realloc(procs, n * sizeof(*procs));
		if (procs == NULL)
			host_fail("out of memory");
		len = n * sizeof(*procs);
		mib[5] = (int)n;
		if (rump_sys___sysctl(mib, 6, procs, &len, NULL, 0) == 0)
			break;
		if (errno != RUMP_ENOMEM || tries == 4)
			rump_fail("kern.proc2");
	}
	n = len / sizeof(*procs);
	qsort(procs, n, sizeof(*procs), compare_pids);
	printf("%5s %5s %5s %s\n", "PID", "PPID", "UID", "COMMAND");
	for (i = 0; i < n; i++)
		printf("%5d %5d %5u %.*s\n", procs[i].p_pid, procs[i].p_ppid,
		    procs[i].p_uid, (int)sizeof(procs[i].p_comm),
		    procs[i].p_comm);
	free(procs);
	return 0;
}

static int
cmd_halt(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		usage();
	/* The server answers, then halts: the call returns 0 or the link drops. */
	if (rump_sys_reboot(RUMP_RB_HALT, NULL) != 0 && errno == RUMP_EPERM)
		rump_fail("reboot");
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(int, char **);
} commands[] = {
	{ "ls", cmd_ls },
	{ "cat", cmd_cat },
	{ "mkdir", cmd_mkdir },
	{ "put", cmd_put },
	{ "get", cmd_get },
	{ "rm", cmd_rm },
	{ "stat", cmd_stat },
	{ "ps", cmd_ps },
	{ "halt", cmd_halt },
};

int
main(int argc, char **argv)
{
	const struct command *c = NULL;
	size_t i;

	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			c = &commands[i];
	if (c == NULL)
		usage();
	if (getenv("RUMP_SERVER") == NULL) {
		fprintf(stderr, "rumpctl: RUMP_SERVER is not set "
		    "(unix://path or tcp://a.b.c.d:port)\n");
		return 1;
	}
	/* Connection errors are the host's errno values. */
	if (rumpclient_init() != 0) {
		fprintf(stderr, "rumpctl: %s: %s\n", getenv("RUMP_SERVER"),
		    strerror(errno));
		return 1;
	}
	return c->run(argc - 1, argv + 1);
}
