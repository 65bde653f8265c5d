/* libs: -lrumpvfs -lrump -lrumpuser */
/*
 * 25_etfs: host directories in the rump name space (RUMP_ETFS_DIR and
 * RUMP_ETFS_DIR_SUBDIRS) and rump_boot_etfs_register before rump_init.
 *
 * NetBSD facts (rumpfs.c doregister, rump_etfs.3): a DIR mapping needs a
 * host directory (ENOTDIR otherwise) and no range (EISDIR for a begin or a
 * size); a taken key, or a key under a mapped directory, gives EEXIST; a
 * relative key EINVAL; a missing host path the host's errno (ENOENT). Only
 * host regular files and directories appear (a host FIFO gives ENOENT);
 * DIR maps only the directory's own entries (its subdirectories are empty
 * directories), DIR_SUBDIRS maps them recursively. Reads and writes go to
 * the host files. Removing a mapped file gives EOPNOTSUPP, a new name in a
 * mapped directory ENOENT (the reference's lookup asks the host). A boot
 * registration has eb_status -1 until rump_init, then 0 or an errno.
 */
#include "../harness.h"

static char hostdir[PATH_MAX];

static void
host_write(const char *rel, const char *data, size_t n)
{
	char p[PATH_MAX + 64];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", hostdir, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, data, n) != (ssize_t)n)
			perror("write");
		close(fd);
	}
}

static ssize_t
host_read(const char *rel, char *buf, size_t n)
{
	char p[PATH_MAX + 64];
	ssize_t got;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", hostdir, rel);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -1;
	got = read(fd, buf, n);
	close(fd);
	return got;
}

static void
make_tree(void)
{
	char buf[4096], p[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 1);
	host_write("a.txt", "hello host\n", 11);
	host_write("b.bin", buf, sizeof(buf));
	snprintf(p, sizeof(p), "%s/sub", hostdir);
	mkdir(p, 0755);
	host_write("sub/c.txt", "deep", 4);
	snprintf(p, sizeof(p), "%s/sub/deeper", hostdir);
	mkdir(p, 0755);
	host_write("sub/deeper/d.txt", "deeper!", 7);
	snprintf(p, sizeof(p), "%s/fifo", hostdir);
	mkfifo(p, 0644);
}

static void
remove_tree(void)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", hostdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", hostdir);
}

/* the names getdents lists in a rump directory, as "n1:t1,n2:t2," sorted */
static const char *
listing(const char *path)
{
	static char out[1024];
	char names[32][256];
	int types[32];
	char buf[4096];
	int fd, n, count = 0, i, j;

	out[0] = '\0';
	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return "open failed";
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		int off = 0;
		while (off < n && count < 32) {
			uint16_t reclen, namlen;
			memcpy(&reclen, buf + off + 8, 2);
			memcpy(&namlen, buf + off + 10, 2);
			if (reclen == 0)
				break;
			if (!(namlen == 1 && buf[off + 13] == '.') &&
			    !(namlen == 2 && buf[off + 13] == '.' && buf[off + 14] == '.')) {
				snprintf(names[count], sizeof(names[count]), "%.*s",
				    (int)namlen, buf + off + 13);
				types[count] = (unsigned char)buf[off + 12];
				count++;
			}
			off += reclen;
		}
	}
	rump_sys_close(fd);
	if (n < 0)
		return "getdents failed";
	for (i = 0; i < count; i++)
		for (j = i + 1; j < count; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char t[256];
				int tt;
				memcpy(t, names[i], 256); memcpy(names[i], names[j], 256);
				memcpy(names[j], t, 256);
				tt = types[i]; types[i] = types[j]; types[j] = tt;
			}
	for (i = 0; i < count; i++) {
		size_t l = strlen(out);
		snprintf(out + l, sizeof(out) - l, "%s:%d,", names[i], types[i]);
	}
	return out;
}

/* how many entries getdents lists in a rump directory (dots excluded) */
static int
count_entries(const char *path)
{
	char buf[8192];
	int fd, n, count = 0;

	fd = rump_sys_open(path, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
	if (fd < 0)
		return -1;
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		int off = 0;
		while (off < n) {
			uint16_t reclen, namlen;
			memcpy(&reclen, buf + off + 8, 2);
			memcpy(&namlen, buf + off + 10, 2);
			if (reclen == 0)
				break;
			if (!(namlen == 1 && buf[off + 13] == '.') &&
			    !(namlen == 2 && buf[off + 13] == '.' && buf[off + 14] == '.'))
				count++;
			off += reclen;
		}
	}
	rump_sys_close(fd);
	return n < 0 ? -1 : count;
}

/* the host descriptors this process has open */
static int
host_fds(void)
{
	int fd, count = 0;

	for (fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			count++;
	return count;
}

/* read a whole rump file into buf (NUL-terminated); the length or -1 */
static ssize_t
rump_slurp(const char *path, char *buf, size_t cap)
{
	ssize_t n, total = 0;
	int fd = rump_sys_open(path, RUMP_O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = rump_sys_read(fd, buf + total, cap - 1 - total)) > 0)
		total += n;
	rump_sys_close(fd);
	buf[total] = '\0';
	return n < 0 ? -1 : total;
}

static int
sub_main(const char *mode)
{
	static struct rump_boot_etfs eb_dir, eb_file, eb_bad;
	static char file[PATH_MAX + 64];
	const char *dir = getenv("ETFS25_DIR");
	char buf[64];
	struct rump_stat st;

	if (strcmp(mode, "boot") != 0 || dir == NULL)
		return 2;
	snprintf(file, sizeof(file), "%s/a.txt", dir);
	eb_dir.eb_key = "/bootdir";
	eb_dir.eb_hostpath = dir;
	eb_dir.eb_type = RUMP_ETFS_DIR_SUBDIRS;
	eb_dir.eb_begin = 0;
	eb_dir.eb_size = RUMP_ETFS_SIZE_ENDOFF;
	eb_dir.eb_status = 12345;
	eb_file.eb_key = "/bootfile";
	eb_file.eb_hostpath = file;
	eb_file.eb_type = RUMP_ETFS_REG;
	eb_file.eb_begin = 6;
	eb_file.eb_size = 4;
	eb_file.eb_status = 12345;
	eb_bad.eb_key = "/bootbad";
	eb_bad.eb_hostpath = file;
	eb_bad.eb_type = RUMP_ETFS_DIR;
	eb_bad.eb_begin = 0;
	eb_bad.eb_size = RUMP_ETFS_SIZE_ENDOFF;
	eb_bad.eb_status = 12345;
	rump_boot_etfs_register(&eb_dir);
	rump_boot_etfs_register(&eb_file);
	rump_boot_etfs_register(&eb_bad);
	h_report("before_dir", eb_dir.eb_status, 0);
	h_report("before_file", eb_file.eb_status, 0);
	h_report("before_bad", eb_bad.eb_status, 0);
	if (rump_init() != 0)
		return 3;
	h_report("after_dir", eb_dir.eb_status, 0);
	h_report("after_file", eb_file.eb_status, 0);
	h_report("after_bad", eb_bad.eb_status, 0);
	h_report("deep_len", rump_slurp("/bootdir/sub/deeper/d.txt", buf, sizeof(buf)), 0);
	printf("@deep_text %s\n", buf);
	h_report("file_len", rump_slurp("/bootfile", buf, sizeof(buf)), 0);
	printf("@file_text %s\n", buf);
	H_REPORT_CALL("bad_stat", rump_sys_stat("/bootbad", (void *)&st));
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rump_stat st, st2;
	char buf[8192], p[PATH_MAX + 64], envv[PATH_MAX + 64];
	const char *env[2];
	static struct h_sub r;
	int fd;

	if (H_IS_SUB(argc, argv))
		return sub_main(argv[2]);

	h_begin("25_etfs");
	if (getcwd(buf, sizeof(buf)) == NULL)
		strcpy(buf, "/tmp");
	snprintf(hostdir, sizeof(hostdir), "%.4000s/etfs25.XXXXXX", buf);
	REQUIRE("host temp directory", mkdtemp(hostdir) != NULL);
	make_tree();
	H_BOOT();

	/* the sub-process boots its own kernel with queued registrations */
	snprintf(envv, sizeof(envv), "ETFS25_DIR=%s", hostdir);
	env[0] = envv;
	env[1] = NULL;
	h_run_sub("boot", env, 30, &r);
	CHECK_SUB_EXIT("boot sub-process exits 0", &r, 0);
	h_check_sub_val("boot: eb_status -1 when queued (DIR_SUBDIRS)", &r, "before_dir", -1, H_ANY);
	h_check_sub_val("boot: eb_status -1 when queued (REG window)", &r, "before_file", -1, H_ANY);
	h_check_sub_val("boot: eb_status -1 when queued (DIR on a file)", &r, "before_bad", -1, H_ANY);
	h_check_sub_val("boot: after rump_init, DIR_SUBDIRS status 0", &r, "after_dir", 0, H_ANY);
	h_check_sub_val("boot: after rump_init, REG window status 0", &r, "after_file", 0, H_ANY);
	h_check_sub_val("boot: after rump_init, DIR on a file: ENOTDIR", &r, "after_bad",
	    RUMP_ENOTDIR, H_ANY);
	h_check_sub_val("boot: /bootdir/sub/deeper/d.txt reads 7 bytes", &r, "deep_len", 7, H_ANY);
	CHECK_STR("boot: ... \"deeper!\"", h_sub_str(&r, "deep_text"), "deeper!");
	h_check_sub_val("boot: /bootfile (bytes 6..9 of a.txt) reads 4 bytes", &r, "file_len", 4, H_ANY);
	CHECK_STR("boot: ... \"host\"", h_sub_str(&r, "file_text"), "host");
	h_check_sub_val("boot: the failed key does not exist: ENOENT", &r, "bad_stat", -1,
	    RUMP_ENOENT);

	/* registration errors */
	snprintf(p, sizeof(p), "%s/a.txt", hostdir);
	CHECK_EQ("DIR on a host regular file: ENOTDIR",
	    rump_pub_etfs_register("/hd", p, RUMP_ETFS_DIR), RUMP_ENOTDIR);
	CHECK_EQ("DIR_SUBDIRS on a host regular file: ENOTDIR",
	    rump_pub_etfs_register("/hd", p, RUMP_ETFS_DIR_SUBDIRS), RUMP_ENOTDIR);
	CHECK_EQ("DIR with a size: EISDIR",
	    rump_pub_etfs_register_withsize("/hd", hostdir, RUMP_ETFS_DIR, 0, 10), RUMP_EISDIR);
	CHECK_EQ("DIR with a begin: EISDIR",
	    rump_pub_etfs_register_withsize("/hd", hostdir, RUMP_ETFS_DIR, 5,
	    RUMP_ETFS_SIZE_ENDOFF), RUMP_EISDIR);
	CHECK_EQ("DIR with a relative key: EINVAL",
	    rump_pub_etfs_register("hd", hostdir, RUMP_ETFS_DIR), RUMP_EINVAL);
	CHECK_EQ("DIR on a missing host path: ENOENT",
	    rump_pub_etfs_register("/hd", "/nonexistent/etfs25", RUMP_ETFS_DIR), RUMP_ENOENT);
	CHECK_ERR("nothing was registered by the failures", rump_sys_stat("/hd", (void *)&st),
	    RUMP_ENOENT);

	/* RUMP_ETFS_DIR */
	CHECK_EQ("register DIR /hd", rump_pub_etfs_register("/hd", hostdir, RUMP_ETFS_DIR), 0);
	CHECK_EQ("the same key again: EEXIST",
	    rump_pub_etfs_register("/hd", hostdir, RUMP_ETFS_DIR), RUMP_EEXIST);
	CHECK_EQ("a file key under the directory key: EEXIST",
	    rump_pub_etfs_register("/hd/x", p, RUMP_ETFS_REG), RUMP_EEXIST);
	CHECK_EQ("stat /hd: a directory", rump_sys_stat("/hd", (void *)&st) == 0 &&
	    (st.st_mode & 0170000) == 0040000, 1);
	CHECK_EQ("stat /hd/a.txt: a regular file", rump_sys_stat("/hd/a.txt", (void *)&st) == 0 &&
	    (st.st_mode & 0170000) == 0100000, 1);
	CHECK_EQ("... of the host's size 11", st.st_size, 11);
	CHECK_EQ("stat /hd/b.bin: size 4096", rump_sys_stat("/hd/b.bin", (void *)&st) == 0 ?
	    st.st_size : -1, 4096);
	CHECK_STR("getdents /hd: the host's files and directories, not its FIFO",
	    listing("/hd"), "a.txt:8,b.bin:8,sub:4,");
	CHECK_ERR("the host FIFO: ENOENT", rump_sys_stat("/hd/fifo", (void *)&st), RUMP_ENOENT);
	CHECK_ERR("a missing name: ENOENT", rump_sys_stat("/hd/nope", (void *)&st), RUMP_ENOENT);
	CHECK_EQ("read /hd/a.txt", rump_slurp("/hd/a.txt", buf, sizeof(buf)), 11);
	CHECK_STR("... the host's bytes", buf, "hello host\n");
	CHECK_EQ("read /hd/b.bin: 4096 bytes", rump_slurp("/hd/b.bin", buf, sizeof(buf)), 4096);
	CHECK_EQ("... byte 4095 as on the host", (unsigned char)buf[4095],
	    (unsigned char)(4095 * 7 + 1));
	CHECK_EQ("DIR: /hd/sub is a directory", rump_sys_stat("/hd/sub", (void *)&st) == 0 &&
	    (st.st_mode & 0170000) == 0040000, 1);
	CHECK_ERR("DIR: the subdirectory's files are not mapped: ENOENT",
	    rump_sys_stat("/hd/sub/c.txt", (void *)&st), RUMP_ENOENT);
	CHECK_STR("DIR: getdents /hd/sub lists nothing", listing("/hd/sub"), "");

	/* write through */
	fd = rump_sys_open("/hd/a.txt", RUMP_O_WRONLY | RUMP_O_APPEND);
	CHECK_GE("open /hd/a.txt for appending", fd, 0);
	CHECK_EQ("append 5 bytes", rump_sys_write(fd, "more\n", 5), 5);
	rump_sys_close(fd);
	CHECK_EQ("the host file has 16 bytes", host_read("a.txt", buf, sizeof(buf)), 16);
	CHECK_MEM("... with the appended bytes", buf, "hello host\nmore\n", 16);
	CHECK_EQ("rump stat sees size 16", rump_sys_stat("/hd/a.txt", (void *)&st) == 0 ?
	    st.st_size : -1, 16);
	fd = rump_sys_open("/hd/a.txt", RUMP_O_RDWR | RUMP_O_CREAT, 0644);
	CHECK_GE("O_CREAT of an existing mapped file opens it", fd, 0);
	CHECK_EQ("pwrite 5 bytes at 0", rump_sys_pwrite(fd, "HELLO", 5, 0), 5);
	rump_sys_close(fd);
	CHECK_EQ("the host sees them", host_read("a.txt", buf, sizeof(buf)) == 16 &&
	    memcmp(buf, "HELLO host\n", 11) == 0, 1);

	/* the host's changes show */
	host_write("late.txt", "late", 4);
	CHECK_EQ("a file the host made after registering: size 4",
	    rump_sys_stat("/hd/late.txt", (void *)&st) == 0 ? st.st_size : -1, 4);
	snprintf(p, sizeof(p), "%s/late.txt", hostdir);
	unlink(p);
	CHECK_ERR("... gone once the host removes it: ENOENT",
	    rump_sys_stat("/hd/late.txt", (void *)&st), RUMP_ENOENT);

	/* names cannot be made or removed in a mapped directory */
	CHECK_ERR("O_CREAT of a new name: ENOENT",
	    rump_sys_open("/hd/new", RUMP_O_RDWR | RUMP_O_CREAT, 0644), RUMP_ENOENT);
	CHECK_ERR("O_CREAT|O_EXCL of an existing name: EEXIST",
	    rump_sys_open("/hd/a.txt", RUMP_O_RDWR | RUMP_O_CREAT | RUMP_O_EXCL, 0644), RUMP_EEXIST);
	CHECK_ERR("mkdir of an existing name: EEXIST", rump_sys_mkdir("/hd/sub", 0755), RUMP_EEXIST);
	CHECK_ERR("unlink of a mapped file: EOPNOTSUPP", rump_sys_unlink("/hd/a.txt"),
	    RUMP_EOPNOTSUPP);
	CHECK_ERR("rmdir of the mapped directory: EBUSY", rump_sys_rmdir("/hd"), RUMP_EBUSY);
	CHECK_EQ("the host file is still there", host_read("a.txt", buf, sizeof(buf)), 16);

	/* RUMP_ETFS_DIR_SUBDIRS */
	CHECK_EQ("register DIR_SUBDIRS /hds",
	    rump_pub_etfs_register("/hds", hostdir, RUMP_ETFS_DIR_SUBDIRS), 0);
	CHECK_STR("getdents /hds/sub: its host entries", listing("/hds/sub"),
	    "c.txt:8,deeper:4,");
	CHECK_STR("getdents /hds/sub/deeper", listing("/hds/sub/deeper"), "d.txt:8,");
	CHECK_EQ("read /hds/sub/c.txt", rump_slurp("/hds/sub/c.txt", buf, sizeof(buf)), 4);
	CHECK_STR("... \"deep\"", buf, "deep");
	CHECK_EQ("read /hds/sub/deeper/d.txt", rump_slurp("/hds/sub/deeper/d.txt", buf,
	    sizeof(buf)), 7);
	fd = rump_sys_open("/hds/sub/c.txt", RUMP_O_RDWR);
	CHECK_GE("open /hds/sub/c.txt read-write", fd, 0);
	CHECK_EQ("write 6 bytes over 4", rump_sys_write(fd, "DEEPER", 6), 6);
	CHECK_EQ("fstat: size 6", rump_sys_fstat(fd, (void *)&st) == 0 ? st.st_size : -1, 6);
	CHECK_EQ("ftruncate to 3", rump_sys_ftruncate(fd, 3), 0);
	rump_sys_close(fd);
	CHECK_EQ("the host file has 3 bytes", host_read("sub/c.txt", buf, sizeof(buf)), 3);
	CHECK_MEM("... \"DEE\"", buf, "DEE", 3);
	CHECK_EQ("stat /hds/sub/.. is /hds",
	    rump_sys_stat("/hds/sub/..", (void *)&st) == 0 &&
	    rump_sys_stat("/hds", (void *)&st2) == 0 && st.st_ino == st2.st_ino, 1);
	CHECK_EQ("chdir /hds/sub/deeper", rump_sys_chdir("/hds/sub/deeper"), 0);
	CHECK_EQ("a relative read there", rump_slurp("d.txt", buf, sizeof(buf)), 7);
	CHECK_EQ("... and ../c.txt", rump_slurp("../c.txt", buf, sizeof(buf)), 3);
	CHECK_EQ("chdir /", rump_sys_chdir("/"), 0);
	snprintf(p, sizeof(p), "%s/b.bin", hostdir);
	CHECK_EQ("a file key under /hds: EEXIST",
	    rump_pub_etfs_register("/hds/sub/c.txt", p, RUMP_ETFS_REG), RUMP_EEXIST);

	/* listing a large host directory holds no descriptor per file */
	snprintf(p, sizeof(p), "%s/many", hostdir);
	mkdir(p, 0755);
	{
		int i, before;
		char name[64];

		for (i = 0; i < 300; i++) {
			snprintf(name, sizeof(name), "many/f%03d", i);
			host_write(name, "x", 1);
		}
		before = host_fds();
		CHECK_EQ("getdents /hds/many: 300 entries", count_entries("/hds/many"), 300);
		CHECK_RANGE("... and no host descriptor per file", host_fds() - before, -2, 4);
		CHECK_EQ("stat /hds/many/f299: size 1", rump_sys_stat("/hds/many/f299",
		    (void *)&st) == 0 ? st.st_size : -1, 1);
		CHECK_EQ("read /hds/many/f150", rump_slurp("/hds/many/f150", buf, sizeof(buf)), 1);
	}

	/* removal */
	CHECK_EQ("etfs_remove /hd", rump_pub_etfs_remove("/hd"), 0);
	CHECK_ERR("/hd/a.txt is gone: ENOENT", rump_sys_stat("/hd/a.txt", (void *)&st),
	    RUMP_ENOENT);
	CHECK_EQ("etfs_remove /hd again: ENOENT", rump_pub_etfs_remove("/hd"), RUMP_ENOENT);
	CHECK_EQ("/hds still works", rump_slurp("/hds/b.bin", buf, sizeof(buf)), 4096);
	CHECK_EQ("etfs_remove /hds", rump_pub_etfs_remove("/hds"), 0);
	CHECK_EQ("the host tree is intact", host_read("sub/deeper/d.txt", buf, sizeof(buf)), 7);

	remove_tree();
	return h_end();
}
